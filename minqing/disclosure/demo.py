"""The public board of the demo communities: notices, finances, meeting decisions — one corrected
after publication (so its revision history shows), one withdrawn, one still a draft. The welfare
public notices come from the welfare demo, which publishes them through the welfare services."""
from __future__ import annotations

import datetime
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone

from . import services
from .models import NoticeKind

NOTICES = [
    (NoticeKind.FINANCE, "2026年第三季度社区财务公开", "一、收入：上级拨付办公经费 30,000 元；矿工会慰问经费 12,000 元。\n"
     "二、支出：楼道照明维修 8,600 元；困难家庭慰问 9,800 元；办公用品 2,150 元。\n三、结余：21,450 元。", 70),
    (NoticeKind.MEETING, "居民代表会议决定：老旧小区加装电梯意向征询", "10月18日居民代表会议，应到 35 人，实到 31 人。\n"
     "会议决定：以单元为单位征询加装电梯意向，同意户数达三分之二以上的单元列入明年申报计划。", 35),
    (NoticeKind.NOTICE, "关于今冬供暖的通知", "渝阳供热站定于11月15日起正式供暖，室温不达标请拨打社区专线或在平台反映。", 12),
    (NoticeKind.NOTICE, "社区卫生服务站签约家庭医生服务", "65岁以上老人可免费签约家庭医生，每年一次免费体检。报名请到社区服务大厅。", 5),
]


@contextmanager
def _clock(day: datetime.date):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
    with mock.patch.object(timezone, "now", lambda: moment):
        yield


def build(ctx):
    users = ctx.shared.get("users", {})
    secretary = users.get("secretary")
    if secretary is None:
        return
    community, today = ctx.shared["places"]["communities"][0], timezone.localdate()
    published = []
    for kind, title, body, days_ago in NOTICES:
        with _clock(today - datetime.timedelta(days=days_ago)):
            notice = services.notice_create(actor=secretary, community=community, kind=kind, title=title, body=body)
            published.append(services.notice_publish(actor=secretary, notice=notice))
    finance = published[0]
    with _clock(today - datetime.timedelta(days=60)):
        services.notice_update(actor=secretary, notice=finance, title=finance.title,
                               body=finance.body.replace("8,600 元", "8,960 元").replace("21,450 元", "21,090 元"),
                               reason="更正楼道照明维修支出（漏计开关更换 360 元），结余相应调整。")
    with _clock(today - datetime.timedelta(days=30)):
        notice = services.notice_create(actor=secretary, community=community, kind=NoticeKind.NOTICE,
                                        title="停水通知（11月1日）", body="因主管道维修，11月1日8:00-18:00停水。")
        services.notice_publish(actor=secretary, notice=notice)
    with _clock(today - datetime.timedelta(days=29)):
        services.notice_withdraw(actor=secretary, notice=notice, reason="供水公司调整施工时间，另行通知。")
    services.notice_create(actor=secretary, community=community, kind=NoticeKind.FINANCE,
                           title="2026年第四季度社区财务公开（草稿）", body="待季度结束后填写。")
    ctx.log("public board: 6 notices (1 corrected, 1 withdrawn, 1 draft)")
