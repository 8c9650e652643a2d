"""The weekly retraining of the community's category model, run by `manage.py scheduler`.

The scheduler calls every job on each tick; this one does its work once a week: it skips while the model
on disk is younger than RETRAIN_DAYS, so running it twice (or on two schedulers) trains once. While there
is too little history it looks again once a day.
"""
from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from . import communitymodel

RETRAIN_DAYS = 7
RETRY_DAYS = 1  # while history is too thin, look again once a day, not on every tick


def _younger_than(path, now: datetime.datetime, days: int) -> bool:
    if not path.exists():
        return False
    return now - datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.timezone.utc) < \
        datetime.timedelta(days=days)


def insight_train(now: datetime.datetime) -> str:
    path = communitymodel.community_path()
    tried = path.with_name(f"{path.stem}.tried")  # marks a run that found too little history
    if _younger_than(path, now, RETRAIN_DAYS):
        return _("分类模型 %(days)d 天内已训练，跳过") % {"days": RETRAIN_DAYS}
    if _younger_than(tried, now, RETRY_DAYS):
        return _("已办结诉求不足，明天再试")
    try:
        result = communitymodel.train_from_closed_appeals()
    except communitymodel.NotEnoughHistory as exc:
        tried.parent.mkdir(parents=True, exist_ok=True)
        tried.touch()
        return str(exc)
    tried.unlink(missing_ok=True)
    return _("分类模型已训练：%(n)d 条，%(c)d 类") % {"n": result.messages, "c": result.categories}
