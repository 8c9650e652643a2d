"""Demo: train the community's category model from the demo's closed demands, so intake suggests the demo
community's real categories (not the baseline's mapped TipDM classes). Runs after minqing.appeals.demo.

Before saving, one fifth of the closed demands (every fifth, by id) is held out and the top-1 accuracy of
a model trained on the rest is logged, so the demo says how well it guesses text it has not seen.
"""
from __future__ import annotations

import time
from collections import Counter

from . import classifier, communitymodel

HOLD_OUT_EVERY = 5


def held_out_accuracy(examples: list[tuple[str, str]]) -> tuple[int, float | None]:
    train = [e for i, e in enumerate(examples) if i % HOLD_OUT_EVERY]
    test = [e for i, e in enumerate(examples) if not i % HOLD_OUT_EVERY]
    if len({label for _t, label in train}) < 2 or not test:
        return 0, None
    model = classifier.train([t for t, _l in train], [label for _t, label in train], calibrate=False)
    predicted = model.predict([t for t, _l in test])
    return len(test), sum(p.category == label for p, (_t, label) in zip(predicted, test)) / len(test)


def build(ctx):
    started = time.process_time()
    examples = communitymodel.closed_appeal_examples()
    counts = Counter(label for _t, label in examples)
    examples = [e for e in examples if counts[e[1]] >= communitymodel.MIN_PER_CATEGORY]  # as training keeps
    try:
        result = communitymodel.train_from_closed_appeals()
    except communitymodel.NotEnoughHistory as exc:
        ctx.log(f"insight: {exc}")
        return
    n, accuracy = held_out_accuracy(examples)
    ctx.shared["insight_held_out"] = (n, accuracy)
    ctx.log(f"insight: community model from {result.messages} closed demands, {result.categories} categories; "
            f"held-out top-1 {accuracy:.3f} on {n} demands; {time.process_time() - started:.1f} s CPU")
