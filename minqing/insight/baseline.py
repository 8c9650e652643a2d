"""Train the committed baseline category model from the public data: `python -m minqing.insight.baseline`.

A community with no closed demands of its own starts from this model. The data stays in ../shared; only the
model (vocabulary, idf, weights — a few MB of arrays) is written to artefacts/ and committed.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from . import classifier, datasets


def train_baseline(path: Path = classifier.BASELINE_PATH) -> classifier.CategoryModel:
    messages = datasets.labelled_messages()
    started = time.perf_counter()
    texts, labels = datasets.training_pairs(messages)
    model = classifier.train(texts, labels)
    import sklearn  # recorded so a retrain can be compared; prediction does not need it

    model.meta = {"source": "tipdm2020/messages_train.csv", "messages": len(messages),
                  "trained_seconds": round(time.perf_counter() - started, 1),
                  "trained_with": f"scikit-learn {sklearn.__version__} LinearSVC"}
    path.parent.mkdir(parents=True, exist_ok=True)
    model.save(path)
    return model


def main() -> int:
    if not datasets.available():
        print(f"no data at {datasets.data_dir()} (set INSIGHT_DATA_DIR)", file=sys.stderr)
        return 1
    model = train_baseline()
    print(f"saved {classifier.BASELINE_PATH} ({classifier.BASELINE_PATH.stat().st_size} bytes), "
          f"{len(model.vectorizer.terms)} terms, temperature {model.temperature:.3f}, {model.meta}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
