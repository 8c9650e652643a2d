"""Issue 19, third round: a small character CNN trained with torch (offline, in a separate venv), exported
to plain arrays and run in numpy, to blend with the SVM margins (round3.py).

    /tmp/torchvenv/bin/python bench/insight/cnn.py dev  [TAG key=value …]  # 5-fold OOF log-probs → cache
    /tmp/torchvenv/bin/python bench/insight/cnn.py hold [TAG key=value …]  # train on dev, hold-out log-probs

Model: characters of the normalised text (first `max_len`), embedding `emb`, one 1-D convolution per width
in `widths` with `filters` each, ReLU, max over time, dropout, linear → 7 classes. For numpy the embedding
and each convolution are folded into one table per (width, offset): conv output at position t is
Σ_k T_wk[char[t+k]] + b_w — gathers and adds, no matrix product at prediction time.
Same split and folds as variants.py; training rows = the fold's messages + joined-token copies of raw rows.
"""
import hashlib
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(var, "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import numpy as np

from minqing.insight import datasets
from minqing.insight.textnorm import from_segmented, normalise

CACHE = Path(os.environ.get("ROUND3_CACHE", "/tmp/insight_round3"))
CACHE.mkdir(parents=True, exist_ok=True)

DEFAULTS = {"emb": 64, "filters": 96, "widths": "2,3", "max_len": 300, "epochs": 8, "lr": 2e-3, "batch": 64,
            "dropout": 0.3, "min_count": 2, "smooth": 0.0, "wd": 0.0, "seed": 0}


def group_folds(groups, k):  # as minqing.insight.evaluation.group_folds (that module needs Django)
    sizes = Counter(groups)
    load, fold_of = [0] * k, {}
    for group, size in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        target = int(np.argmin(load))
        fold_of[group] = target
        load[target] += size
    return [fold_of[g] for g in groups]


def split():
    msgs = datasets.labelled_messages()
    hold = [int(hashlib.sha1(m.group.encode()).hexdigest(), 16) % 100 < 15 for m in msgs]
    dev = [m for m, h in zip(msgs, hold) if not h]
    held = [m for m, h in zip(msgs, hold) if h]
    return dev, held


def pairs(part):
    texts = [m.text for m in part] + [from_segmented(m.group) for m in part if m.has_raw]
    labels = [m.label for m in part] + [m.label for m in part if m.has_raw]
    return texts, labels


class CharIds:
    def __init__(self, texts, min_count, max_len):
        counts = Counter(ch for t in texts for ch in set(normalise(t)))
        self.chars = sorted(ch for ch, c in counts.items() if c >= min_count and ch != " ")
        self.max_len = max_len
        self.index = {ch: i + 2 for i, ch in enumerate(self.chars)}  # 0 pad, 1 unknown (spaces too)

    def ids(self, text):
        norm = normalise(text)[:self.max_len]
        return [self.index.get(ch, 1) for ch in norm] or [1]


def train_model(texts, labels, classes, cfg):
    import torch
    import torch.nn as nn

    torch.set_num_threads(1)
    torch.manual_seed(cfg["seed"])
    rng = np.random.default_rng(cfg["seed"])
    widths = [int(w) for w in str(cfg["widths"]).split(",")]
    vocab = CharIds(texts, cfg["min_count"], cfg["max_len"])
    seqs = [vocab.ids(t) for t in texts]
    y = torch.tensor([classes.index(l) for l in labels])

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(len(vocab.chars) + 2, cfg["emb"], padding_idx=0)
            self.convs = nn.ModuleList(nn.Conv1d(cfg["emb"], cfg["filters"], w) for w in widths)
            self.drop = nn.Dropout(cfg["dropout"])
            self.out = nn.Linear(cfg["filters"] * len(widths), len(classes))

        def forward(self, x, lengths):
            e = self.emb(x).transpose(1, 2)  # batch, emb, time
            pooled = []
            for w, conv in zip(widths, self.convs):
                h = conv(e)  # batch, filters, time - w + 1
                valid = torch.arange(h.shape[2])[None, :] < torch.clamp(lengths - w + 1, min=1)[:, None]
                h = h.masked_fill(~valid[:, None, :], -1e4)
                pooled.append(torch.relu(h.max(dim=2).values))
            return self.out(self.drop(torch.cat(pooled, dim=1)))

    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=cfg["lr"], weight_decay=cfg["wd"])
    counts = np.bincount(y.numpy(), minlength=len(classes))
    weight = torch.tensor(len(y) / (len(classes) * counts), dtype=torch.float32)  # balanced, like the SVM
    loss_fn = nn.CrossEntropyLoss(weight=weight, label_smoothing=cfg["smooth"])
    order_by_len = np.argsort([len(s) for s in seqs])
    steps = cfg["epochs"] * ((len(seqs) + cfg["batch"] - 1) // cfg["batch"])
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=cfg["lr"], total_steps=steps)
    for epoch in range(cfg["epochs"]):
        net.train()
        # batches of similar length (little padding), in random order
        chunks = [order_by_len[i:i + cfg["batch"]] for i in range(0, len(seqs), cfg["batch"])]
        for c in rng.permutation(len(chunks)):
            idx = chunks[c]
            x, lengths = pad([seqs[i] for i in idx], max(widths))
            loss = loss_fn(net(x, lengths), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    return export(net, vocab, widths, classes, cfg)


def pad(batch, min_len):
    import torch

    n = max(max(len(s) for s in batch), min_len)
    x = torch.zeros(len(batch), n, dtype=torch.long)
    for i, s in enumerate(batch):
        x[i, :len(s)] = torch.tensor(s)
    return x, torch.tensor([len(s) for s in batch])


def export(net, vocab, widths, classes, cfg):
    """Plain arrays: per width w and offset k a table (n_chars + 2, filters) = embedding @ conv weight[:, :, k]."""
    E = net.emb.weight.detach().numpy()
    arrays = {"chars": np.array(vocab.chars), "out_w": net.out.weight.detach().numpy().T.copy(),
              "out_b": net.out.bias.detach().numpy()}
    for w, conv in zip(widths, net.convs):
        W = conv.weight.detach().numpy()  # filters, emb, w
        arrays[f"t{w}"] = np.stack([E @ W[:, :, k].T for k in range(w)])  # w, n_chars + 2, filters
        arrays[f"b{w}"] = conv.bias.detach().numpy()
    arrays["header"] = np.array(json.dumps({"widths": widths, "max_len": cfg["max_len"], "classes": classes}))
    return arrays


class NumpyCNN:
    """Prediction from the exported arrays, numpy only."""

    def __init__(self, arrays, dtype=np.float32):
        header = json.loads(str(arrays["header"]))
        self.widths, self.max_len, self.classes = header["widths"], header["max_len"], header["classes"]
        chars = arrays["chars"].tolist()
        self.lookup = np.ones(0x110000, dtype=np.int32)  # unknown → 1
        self.lookup[[ord(c) for c in chars]] = np.arange(2, len(chars) + 2)
        self.tables = {w: arrays[f"t{w}"].astype(dtype) for w in self.widths}
        self.bias = {w: arrays[f"b{w}"].astype(np.float32) for w in self.widths}
        self.out_w, self.out_b = arrays["out_w"].astype(np.float32), arrays["out_b"].astype(np.float32)

    def logits(self, texts):
        norms = [normalise(t)[:self.max_len].replace(" ", "\x01") or "\x01" for t in texts]
        lengths = np.array([len(n) for n in norms])
        codes = np.frombuffer("".join(norms).encode("utf-32-le"), dtype=np.uint32)
        ids = self.lookup[codes]
        ids[codes == 1] = 1
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        pad = max(self.widths)
        ids = np.concatenate([ids, np.zeros(pad, dtype=np.int32)])
        n = len(codes)
        pooled = []
        for w in self.widths:
            T = self.tables[w]
            h = T[0][ids[:n]]
            for k in range(1, w):
                h += T[k][ids[k:n + k]]
            # windows running past a text's end are not valid: max over the first max(len - w + 1, 1)
            valid_len = np.maximum(lengths - w + 1, 1)
            pos = np.arange(n) - np.repeat(starts, lengths)
            h[pos >= np.repeat(valid_len, lengths)] = -1e4
            pooled.append(np.maximum(np.maximum.reduceat(h, starts, axis=0) + self.bias[w], 0))
        return np.concatenate(pooled, axis=1) @ self.out_w + self.out_b


def log_softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def macro_f1(truth, pred, classes):
    f1s = []
    for c in classes:
        tp = sum(t == c and p == c for t, p in zip(truth, pred))
        fp = sum(t != c and p == c for t, p in zip(truth, pred))
        fn = sum(t == c and p != c for t, p in zip(truth, pred))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(f1s))


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    tag = args[0] if args and "=" not in args[0] else "cnn"
    cfg = dict(DEFAULTS)
    for a in args:
        if "=" in a:
            k, v = a.split("=", 1)
            cfg[k] = type(DEFAULTS[k])(v) if not isinstance(DEFAULTS[k], str) else v
    dev, held = split()
    classes = sorted({m.label for m in dev})
    t0 = time.process_time()
    if mode == "dev":
        fold_of = np.array(group_folds([m.group for m in dev], 5))
        out = np.zeros((len(dev), len(classes)))
        for k in range(5):
            part = [m for m, f in zip(dev, fold_of) if f != k]
            te = np.flatnonzero(fold_of == k)
            arrays = train_model(*pairs(part), classes, cfg)
            out[te] = log_softmax(NumpyCNN(arrays).logits([dev[i].text for i in te]))
            print(f"  fold {k} cpu {time.process_time() - t0:.0f}s", flush=True)
        np.savez(CACHE / f"{tag}.dev.npz", m=out)
        truth = [m.label for m in dev]
        f1 = macro_f1(truth, [classes[i] for i in out.argmax(1)], classes)
        print(f"CNN {tag} {json.dumps(cfg)} dev {f1:.4f} cpu {time.process_time() - t0:.0f}s", flush=True)
    else:
        arrays = train_model(*pairs(dev), classes, cfg)
        np.savez(CACHE / f"{tag}.model.npz", **arrays)
        model = NumpyCNN(arrays)
        out = log_softmax(model.logits([m.text for m in held]))
        np.savez(CACHE / f"{tag}.hold.npz", m=out)
        texts = [m.text for m in dev]
        c0 = time.process_time()
        for i in range(0, len(texts), 256):
            model.logits(texts[i:i + 256])
        speed = len(texts) / (time.process_time() - c0)
        size = (CACHE / f"{tag}.model.npz").stat().st_size
        print(f"CNN {tag} hold-out margins cached; train cpu {c0 - t0:.0f}s; numpy {speed:.0f} msg/CPU-s; "
              f"{size / 1e6:.2f} MB float32", flush=True)


if __name__ == "__main__":
    main()
