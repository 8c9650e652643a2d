import socket

import pytest

from minqing.insight import classifier

# Small made-up demands, three categories; enough for the linear model to separate them.
FIXTURE = {
    "环境保护": ["小区旁边工厂排放废气污染严重", "河道垃圾堆积发出恶臭污染环境", "工地扬尘严重空气污染",
             "夜间施工噪音扰民污染", "化工厂偷排废水污染河流", "垃圾焚烧废气污染居民区"],
    "教育文体": ["学校强制学生补课收费", "幼儿园入园难学位不足", "学校食堂饭菜质量差学生",
             "中学老师课外有偿补课", "小学划片入学政策咨询", "学院强制学生实习"],
    "交通运输": ["公交车班次太少等车时间长", "道路红绿灯时间设置不合理拥堵", "出租车拒载乱收费",
             "公交站台设置不合理", "路口拥堵缺少交警疏导", "地铁站出口设置公交接驳"],
}


def fixture_texts():
    texts, labels = [], []
    for label, items in FIXTURE.items():
        for text in items:
            texts.append(text)
            labels.append(label)
    return texts, labels


@pytest.fixture
def tiny_model():
    texts, labels = fixture_texts()
    return classifier.train(texts, labels, calibrate=False)


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("insight tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
