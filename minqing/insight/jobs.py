"""The weekly retraining of the community's category model, run by `manage.py scheduler`.

The scheduler calls every job on each tick; this one does its work once a week: it skips while the model
on disk is younger than RETRAIN_DAYS, so running it twice (or on two schedulers) trains once.
"""
from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from . import communitymodel

RETRAIN_DAYS = 7


def insight_train(now: datetime.datetime) -> str:
    path = communitymodel.community_path()
    if path.exists():
        age = now - datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.timezone.utc)
        if age < datetime.timedelta(days=RETRAIN_DAYS):
            return _("分类模型 %(days)d 天内已训练，跳过") % {"days": RETRAIN_DAYS}
    try:
        result = communitymodel.train_from_closed_appeals()
    except communitymodel.NotEnoughHistory as exc:
        return str(exc)
    return _("分类模型已训练：%(n)d 条，%(c)d 类") % {"n": result.messages, "c": result.categories}
