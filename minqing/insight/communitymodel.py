"""The community's own category model, trained from its closed demands, with the baseline as fallback."""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext as _

from . import classifier

MIN_PER_CATEGORY = 20  # below this a category's weights are noise; its demands fall back to the baseline
CLOSED_STATUSES = ("replied", "followed_up", "closed")  # the category is final once the reply went out


def community_path() -> Path:
    return Path(settings.MEDIA_ROOT) / "insight" / "category_community.npz"


class NotEnoughHistory(Exception):
    pass


@dataclass(frozen=True)
class TrainResult:
    messages: int
    categories: int


def closed_appeal_examples() -> list[tuple[str, str]]:
    """(text, top-level category name) of closed demands; empty while the appeals app is absent."""
    try:
        appeal_model = apps.get_model("appeals", "Appeal")
    except LookupError:  # TODO: remove once every deployment ships minqing.appeals
        return []
    rows = (appeal_model.objects.filter(status__in=CLOSED_STATUSES, category__isnull=False)
            .select_related("category__parent").only("title", "text", "category__name", "category__parent__name"))
    return [(f"{a.title}{a.text}", (a.category.parent or a.category).name) for a in rows.iterator()]


def train_from_closed_appeals(*, path: Path | None = None, min_per_category: int | None = None) -> TrainResult:
    min_per_category = MIN_PER_CATEGORY if min_per_category is None else min_per_category
    examples = closed_appeal_examples()
    counts = Counter(label for _text, label in examples)
    kept = [(t, label) for t, label in examples if counts[label] >= min_per_category]
    if len({label for _t, label in kept}) < 2:
        raise NotEnoughHistory(_("已办结诉求不足：至少需要两个分类、每类 %(n)d 条") % {"n": min_per_category})
    model = classifier.train([t for t, _l in kept], [label for _t, label in kept])
    model.meta = {"source": "closed appeals", "messages": len(kept)}
    path = path or community_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.stem}.{os.getpid()}.partial.npz")
    model.save(partial)
    os.replace(partial, path)  # readers (intake suggestions) never see a half-written file
    return TrainResult(len(kept), len(model.classes))


def current_model() -> classifier.CategoryModel:
    """The community's model when one has been trained, else the committed baseline."""
    path = community_path()
    return classifier.CategoryModel.load(path if path.exists() else classifier.BASELINE_PATH)
