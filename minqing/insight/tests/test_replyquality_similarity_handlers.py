from datetime import datetime

from minqing.insight import replyquality, similarity
from minqing.insight.handlers import suggest_handlers

DEMAND = "小区楼下餐馆油烟扰民，晚上噪音大，希望有关部门处理"
GOOD = ("网友您好！您反映的小区楼下餐馆油烟扰民问题收悉。经现场调查核实，该餐馆未安装油烟净化设施，"
        "根据《大气污染防治法》第八十一条的规定，我局已责令其限期整改，并将安排专人督促落实。"
        "如有疑问请联系我们。感谢您对我们工作的支持！") * 2
POOR = "已转相关部门。"


def test_a_full_explained_reply_scores_above_a_curt_one():
    good = replyquality.score_reply(demand=DEMAND, reply=GOOD)
    poor = replyquality.score_reply(demand=DEMAND, reply=POOR)
    assert good.relevance > poor.relevance
    assert good.completeness > poor.completeness
    assert good.explanation > poor.explanation
    assert "closing" in poor.missing and not good.missing


def test_timeliness_is_full_within_a_week_and_halves_every_two_weeks():
    asked = datetime(2019, 1, 1)
    assert replyquality.timeliness(asked, datetime(2019, 1, 5)) == 1.0
    assert replyquality.timeliness(asked, datetime(2019, 1, 22)) == 0.5
    assert replyquality.timeliness(None, asked) is None


def test_similar_pairs_and_nearest():
    texts = ["小区油烟扰民", "小区餐馆油烟扰民严重", "公交车班次太少"]
    pairs = similarity.similar_pairs(texts, 0.5)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1)]
    found = similarity.nearest("餐馆油烟扰民", [{"id": n, "text": t} for n, t in enumerate(texts)], k=2)
    assert found[0].id in (0, 1) and found[0].score > found[-1].score > 0
    assert similarity.nearest("x", []) == []


def test_handler_suggestion_prefers_same_place_and_shows_evidence():
    dispatches = [
        {"id": 1, "handler": "城管中队", "category": "环境", "place_code": "001002", "satisfaction": "satisfied"},
        {"id": 2, "handler": "城管中队", "category": "环境", "place_code": "001002"},
        {"id": 3, "handler": "环保所", "category": "环境", "place_code": "009"},
        {"id": 4, "handler": "环保所", "category": "环境", "place_code": "008"},
        {"id": 5, "handler": "教育办", "category": "教育", "place_code": "001002"},
    ]
    ranked = suggest_handlers(category="环境", place_code="001002", dispatches=dispatches)
    assert [s.handler for s in ranked] == ["城管中队", "环保所"]
    assert ranked[0].same_place == 2 and ranked[0].satisfied == 1 and ranked[0].example_ids == (1, 2)
