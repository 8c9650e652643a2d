"""A year of 民评官 in the demo community, through the services: a satisfaction survey each quarter
(three closed, the current one open, its QR code on the notice board), each rating the secretary, the
community worker and the two grid workers by name; and residents rating the handler of a part of the
demands answered this year from their tracking pages. One grid worker is rated lower, with reasons,
so the assessment app has a difference to explain."""
from __future__ import annotations

import datetime

from django.utils import timezone

from . import services
from .models import QuestionKind

REASONS = {"dissatisfied": ["电话打不通，上门也找不到人", "答应的事情拖了很久", "态度生硬，不耐烦"],
           "basic": ["事情办了，就是慢了点", "态度好，效果一般", ""]}
SUGGESTIONS = ["希望多组织老年人活动", "楼道灯经常坏，希望及时修", "停车太乱，希望规划车位", "感谢社区干部，辛苦了",
               "希望增加健身器材", "垃圾清运再及时一些", ""]


def _rating(rng, weak: bool) -> tuple[str, str]:
    roll = rng.random()
    rating = ("satisfied" if roll < (.45 if weak else .75) else
              "basic" if roll < (.75 if weak else .93) else "dissatisfied")
    return rating, rng.choice(REASONS.get(rating, [""]))


def build(ctx):
    users = ctx.shared.get("users", {})
    if not users:
        return
    rng, now = ctx.random, timezone.now()
    community = ctx.shared["places"]["communities"][0]
    secretary = users["secretary"]
    rated = [users[k] for k in ("secretary", "worker", "grid1", "grid3")]
    total = 0
    for quarter in range(4, 0, -1):
        opened = now - datetime.timedelta(days=91 * quarter - 5)
        current = quarter == 1
        survey = services.survey_create(
            actor=secretary, place=community, title=f"{opened:%Y}年第{(opened.month - 1) // 3 + 1}季度居民满意度测评",
            intro="请对社区工作和社区干部打分，匿名填写，每人一次。", closes_at=now + datetime.timedelta(days=20))
        add = lambda **kw: services.question_add(actor=secretary, survey_id=survey.pk, **kw)  # noqa: E731
        how = add(kind=QuestionKind.SINGLE, text="您通过什么渠道了解社区事务？", choices=["居务公开栏", "楼栋长告知", "微信群", "很少了解"])
        cares = add(kind=QuestionKind.MULTIPLE, text="您最希望社区改进哪些方面？（可多选）",
                    choices=["环境卫生", "治安巡逻", "养老助餐", "文体活动", "办事效率"])
        overall = add(kind=QuestionKind.SCALE, text="您对社区工作的总体评价（1–5 分）")
        staff_qs = [add(kind=QuestionKind.STAFF, text="您对这位干部的评价", staff=u) for u in rated]
        text = add(kind=QuestionKind.TEXT, text="您还有什么意见和建议？", required=False)
        services.survey_publish(actor=secretary, survey_id=survey.pk)
        count = rng.randint(25, 45) if not current else rng.randint(8, 15)
        for n in range(count):
            when = opened + datetime.timedelta(days=rng.uniform(0, 40 if not current else 4))
            answers = {how.pk: rng.randrange(4), cares.pk: sorted(rng.sample(range(5), rng.randint(1, 3))),
                       overall.pk: rng.choices([5, 4, 3, 2, 1], weights=[35, 40, 15, 7, 3])[0],
                       text.pk: rng.choice(SUGGESTIONS)}
            for q, user in zip(staff_qs, rated):
                answers[q.pk] = _rating(rng, weak=user == users["grid3"])
            services.survey_answer(survey_id=survey.pk, phone=f"139{quarter:02d}{n:06d}", answers=answers,
                                   now=min(when, now))
        total += count
        if not current:
            services.survey_close(actor=secretary, survey_id=survey.pk, now=opened + datetime.timedelta(days=45))
    ratings = _rate_demands(rng, now, users)
    ctx.log(f"4 quarterly surveys with {total} anonymous answers, {ratings} handler ratings from tracking pages; "
            f"answer the open survey at /surveys/s/{survey.public_token}/")


def _rate_demands(rng, now, users) -> int:
    from minqing.appeals.models import Appeal

    answered = list(Appeal.objects.filter(handler_user__isnull=False, replied_at__isnull=False)
                    .order_by("replied_at").values_list("pk", "replied_at", "handler_user_id"))
    weak = users["grid3"].pk
    done = 0
    for pk, replied_at, handler in answered:
        if rng.random() > .35:
            continue  # most residents do not rate
        rating, reason = _rating(rng, weak=handler == weak)
        services.appeal_rating_record(appeal_id=pk, rating=rating, reason=reason or ("" if rating != "dissatisfied"
                                      else "办理太慢"), now=min(now, replied_at + datetime.timedelta(days=1)))
        done += 1
    return done
