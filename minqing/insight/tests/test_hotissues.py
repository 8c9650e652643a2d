from datetime import datetime, timedelta

from minqing.insight import hotissues
from minqing.insight.hotissues import HotMessage

BASE = datetime(2019, 9, 1)


def message(n, title, body="", author=None, days=0, supports=0):
    return HotMessage(str(n), author or f"u{n}", title, body, BASE + timedelta(days=days), supports)


def fixture_messages():
    # two issues phrased differently but naming the same spot, plus unrelated messages
    fumes = [message(1, "A5区劳动东路魅力之城小区油烟扰民", "临街餐馆油烟直排", days=0),
             message(2, "魅力之城小区临街门面烧烤夜宵噪音大", "晚上喝酒吵闹", days=3, supports=5),
             message(3, "投诉A5区魅力之城小区底层餐馆油烟", "油烟排入小区", days=9),
             message(4, "万科魅力之城小区商铺油烟污染严重", "楼道里都是油烟", days=20)]
    intern = [message(5, "A市经济学院强制学生外出实习", "学校要求去工厂", days=1),
              message(6, "A市经济学院组织学生外出打工合理吗", "实习工资低", days=40),
              message(7, "A市经济学院体育学院变相强制实习", "不去不给毕业证", days=60, supports=9)]
    others = [message(8, "咨询A市人才购房补贴政策", days=5), message(9, "A7县公交班次太少", days=6),
              message(10, "希望把抗癌药品纳入医保范围", days=7)]
    return fumes, intern, others


def test_each_worked_example_lands_in_one_issue():
    fumes, intern, others = fixture_messages()
    messages = fumes + intern + others
    groups = hotissues.cluster(messages)
    issue_of = {messages[i].id: n for n, g in enumerate(groups) for i in g}
    assert len({issue_of[m.id] for m in fumes}) == 1
    assert len({issue_of[m.id] for m in intern}) == 1
    assert issue_of["1"] != issue_of["5"]
    assert all(len(groups[issue_of[m.id]]) == 1 for m in others)


def test_places_are_extracted_without_the_road_prefix():
    assert "魅力之城小区" in hotissues.extract_places("A5区劳动东路魅力之城小区油烟扰民")
    assert "经济学院" in hotissues.extract_places("A市经济学院强制学生实习")
    assert "A5区" in hotissues.extract_places("A5区劳动东路魅力之城小区油烟扰民")


def test_hot_issues_are_ranked_with_heat_places_and_description():
    fumes, intern, others = fixture_messages()
    issues = hotissues.hot_issues(fumes + intern + others)
    assert len(issues) == 2
    assert issues[0].heat >= issues[1].heat > 0
    assert "经济学院" in issues[0].places
    assert issues[0].description in {m.title for m in issues[0].messages}


def test_heat_grows_with_people_and_supports():
    fumes, _, _ = fixture_messages()
    small = hotissues.HotIssue(fumes[:2])
    large = hotissues.HotIssue(fumes)
    now = BASE + timedelta(days=30)
    assert hotissues.heat_index(large, now) > hotissues.heat_index(small, now)
    one_person = hotissues.HotIssue([HotMessage(m.id, "same", m.title, m.body, m.time) for m in fumes])
    assert hotissues.heat_index(large, now) > hotissues.heat_index(one_person, now)
