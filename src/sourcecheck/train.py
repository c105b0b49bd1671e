"""Training and evaluating models on labelled data.

``train`` fits the text model on the user's labelled documents and keeps
the base model's HTML estimator (labelled-data files hold text segments);
the full two-form model is trained from the benchmark corpora by the
numbered steps in ``training/``.  ``evaluate`` reports per-class precision,
recall, F1 and a confusion matrix.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from .article import LABELS
from .features import featurize
from .labelled import LabelledDoc
from .model.estimator import SegmentClassifier
from .model.store import Model, library_versions, load_model


def train_text_model(docs: list[LabelledDoc], base: str | None = None, name: str = "custom",
                     data_hashes: dict | None = None, random_state: int = 0) -> Model:
    if len(docs) < 2:
        raise ValueError("training needs at least two labelled documents")
    table = featurize([d.segments for d in docs], "text")
    y = [lab for d in docs for lab in d.labels]
    est = SegmentClassifier(mode="text", inner_folds=min(3, len(docs)), random_state=random_state)
    est.fit(table, y)
    base_model = load_model(base)
    estimators = {"text": est}
    if "html" in base_model.estimators:
        estimators["html"] = base_model.estimators["html"]
    counts = {lab: int(sum(1 for v in y if v == lab)) for lab in LABELS}
    meta = {
        "name": name,
        "version": date.today().isoformat(),
        "trained": date.today().isoformat(),
        "training_data": {"files": data_hashes or {}, "documents": len(docs), "segments": counts},
        "html_estimator_from": base_model.info(),
        "libraries": library_versions(),
        "random_state": random_state,
    }
    return Model(estimators, meta)


def evaluate_docs(model: Model, docs: list[LabelledDoc]) -> dict:
    """Per-class precision/recall/F1 (by segment count) and the confusion matrix."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    est = model.for_kind("text")
    table = featurize([d.segments for d in docs], "text")
    pred = est.predict(table)
    y = np.array([lab for d in docs for lab in d.labels])
    labels = list(LABELS)
    p, r, f, s = precision_recall_fscore_support(y, pred, labels=labels, zero_division=0)
    cm = confusion_matrix(y, pred, labels=labels)
    return {
        "model": model.info(),
        "documents": len(docs),
        "segments": int(len(y)),
        "accuracy": float((pred == y).mean()),
        "per_class": {lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
                      for i, lab in enumerate(labels)},
        "macro_f1": float(np.mean([f[i] for i in range(len(labels)) if s[i] > 0])),
        "confusion": {"labels": labels, "matrix": cm.tolist()},
    }
