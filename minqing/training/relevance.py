"""How well the policy search finds the right answer: a labelled set and two measures.

32 queries phrased the way residents and workers put them (spoken, with the resident's own words, not the
answer's question copied), each with the key of the answer that should come first (demo_answers.ANSWERS),
ranked among the answers in force on EVAL_DATE. They were written before the ranking was tuned and kept
unchanged while it was.

- MRR (mean reciprocal rank): mean of 1 / rank of the expected answer (0 when it is not in the top 10).
- hit@3: share of queries whose expected answer is among the first three (what the demand page shows).

`python -m minqing.training.relevance` prints both for the ranking and for a plain substring filter.
"""
from __future__ import annotations

import datetime

from .demo_answers import ANSWERS
from .search import PolicyIndex

EVAL_DATE = datetime.date(2026, 12, 1)

LABELLED = [
    ("我家收入很低，能不能吃低保", "dibao_who"),
    ("低保一个月给多少钱", "dibao_standard"),
    ("办低保需要准备什么证件", "dibao_materials"),
    ("低保交上去了多长时间能批下来", "dibao_time"),
    ("儿子找了份工作低保会不会被取消", "dibao_work"),
    ("家里有辆旧面包车影响申请低保吗", "dibao_car"),
    ("低保要年年审核吗", "dibao_review"),
    ("房子着火了生活困难能申请救助吗", "temp_relief"),
    ("五保老人没儿没女谁来管", "tekun"),
    ("冬天暖气费困难户有补助没有", "winter_heat"),
    ("我爸今年85岁每月能领多少补贴", "gaoling_amount"),
    ("老人刚满八十岁去哪里办高龄补贴", "gaoling_apply"),
    ("高龄补贴停发了，说是没有认证", "gaoling_survival"),
    ("长者食堂老人吃饭便宜吗", "elder_meal"),
    ("老人瘫痪在床能不能派人上门照顾", "elder_home_care"),
    ("搬到儿子那边住了退休金怎么领", "pension_retiree_move"),
    ("没工作的人自己交养老保险一年交多少", "pension_urban_resident"),
    ("明年医保要交多少钱", "yibao_resident_fee"),
    ("去年忘记交医保了现在补交能报销吗", "yibao_late"),
    ("糖尿病每个月买药能报多少", "yibao_chronic"),
    ("老矿工得了矽肺病看病报销", "yibao_pneumoconiosis"),
    ("住院花了二十万医保报完还剩很多怎么办", "yibao_major_illness"),
    ("在成都住院了医保怎么结算", "yibao_transfer"),
    ("想租公租房什么条件", "gongzufang_apply"),
    ("我们这栋老楼想装电梯政府补多少", "old_estate_reno"),
    ("顶楼一下雨就漏水修房子的钱从哪里出", "repair_fund"),
    ("采煤把墙震裂了谁负责", "subsidence"),
    ("被厂里裁员了失业金能领几个月", "unemployment_ins"),
    ("下岗后想学电焊有没有补助", "job_training"),
    ("想在小区门口开个早餐店能贷款吗", "startup_loan"),
    ("包工头欠了我三个月工钱", "wage_arrears"),
    ("残疾人每个月有什么补贴", "disability_subsidy"),
]


def current_docs(on: datetime.date = EVAL_DATE) -> list[dict]:
    return [{"id": key, "question": question, "answer": answer}
            for key, _topic, question, answer, _source, _body, effective, expires, _scope in ANSWERS
            if effective <= on and (expires is None or expires >= on)]


def measure(rank) -> dict:
    """`rank(query) -> [key, …]` best first; MRR and hit@3 over LABELLED, with the misses."""
    reciprocal, hits, misses = [], 0, []
    for query, expected in LABELLED:
        found = list(rank(query))[:10]
        position = found.index(expected) + 1 if expected in found else None
        reciprocal.append(1 / position if position else 0.0)
        hits += bool(position and position <= 3)
        if position != 1:
            misses.append((query, expected, position, found[:3]))
    return {"queries": len(LABELLED), "mrr": sum(reciprocal) / len(LABELLED), "hit_at_3": hits / len(LABELLED),
            "hit_at_1": sum(r == 1 for r in reciprocal) / len(LABELLED), "misses": misses}


def tfidf_ranker(docs: list[dict]):
    index = PolicyIndex(docs)
    return lambda query: [hit.id for hit in index.rank(query, k=10, min_score=0)]


def substring_ranker(docs: list[dict]):
    """What a plain `icontains` filter on the whole query gives (SQL LIKE '%query%')."""
    return lambda query: [d["id"] for d in docs if query in d["question"] or query in d["answer"]]


if __name__ == "__main__":
    docs = current_docs()
    for name, ranker, show_misses in (("char 1–2-gram TF-IDF", tfidf_ranker(docs), True),
                                      ("substring", substring_ranker(docs), False)):
        figures = measure(ranker)
        print(f"{name}: {len(docs)} answers, {figures['queries']} queries, MRR {figures['mrr']:.3f}, "
              f"hit@1 {figures['hit_at_1']:.3f}, hit@3 {figures['hit_at_3']:.3f}")
        for miss in figures["misses"] if show_misses else []:
            print("   ", miss)
