"""Train the committed baseline category model from the public data: `python -m minqing.insight.baseline`.

A community with no closed demands of its own starts from this model. The data stays in ../shared; only the
model (vocabulary, idf, weights — a few MB of arrays) is written to artefacts/ and committed.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from . import classifier, datasets
from .features import FeatureSpec

# Character 1–2-grams + 45-character head block (0.5) + words (0.7) cut by forward maximum matching against
# a lexicon from the dataset's jieba tokens (docs/insight.md, "6 December 2026").
BASELINE_SPEC = FeatureSpec(word_weight=0.7, word_max_len=4)


def train_baseline(path: Path = classifier.BASELINE_PATH) -> classifier.CategoryModel:
    messages = datasets.labelled_messages()
    started, cpu = time.perf_counter(), time.process_time()
    texts, labels = datasets.training_pairs(messages)
    model = classifier.train(texts, labels, spec=BASELINE_SPEC, lexicon=datasets.lexicon(messages))
    import sklearn  # recorded so a retrain can be compared; prediction does not need it

    model.meta = {"source": "tipdm2020/messages_train.csv", "messages": len(messages),
                  "trained_seconds": round(time.perf_counter() - started, 1),
                  "trained_cpu_seconds": round(time.process_time() - cpu, 1),
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
          f"{len(model.vectorizer.terms)} n-grams + {len(model.vectorizer.word_terms)} words, temperature {model.temperature:.3f}, {model.meta}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
