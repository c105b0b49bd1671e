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


# What "too small to learn from" means.  Fitting runs in two stages: the revise boosters learn from
# out-of-fold scores of the context-free stage, made by up to 3 models each fitted on the other
# documents (``inner_folds``).  Under 20 documents every such model is fitted on a dozen pages or fewer,
# so the scores the boosters learn from are those of a model that has hardly seen the task; a class with
# under 5 segments leaves each fold one or two examples of it or none, and the class is learnt from noise.  (On 4
# documents an earlier model called the news lines of the example article advocacy.)  The data are not
# refused: a small set is how a user tries the command, but they are told what the model will be worth.
MIN_DOCUMENTS = 20
MIN_SEGMENTS_PER_CLASS = 5


def data_warnings(docs: list[LabelledDoc]) -> list[str]:
    """Why labelled data are too small to learn a useful model from, one sentence each (empty if not)."""
    out = []
    if len(docs) < MIN_DOCUMENTS:
        out.append(f"{len(docs)} documents are too few to learn from (fewer than {MIN_DOCUMENTS}): the second "
                   f"stage learns from out-of-fold scores of models fitted on a few documents each, so expect "
                   f"a model that mislabels whole classes; label more documents, and check the model with "
                   f"'sourcecheck evaluate' on documents it was not trained on")
    counts = {lab: sum(1 for d in docs for v in d.labels if v == lab) for lab in LABELS}
    few = [f"{lab} {n}" for lab, n in counts.items() if 0 < n < MIN_SEGMENTS_PER_CLASS]
    if few:
        out.append(f"too few segments of a label to learn it (fewer than {MIN_SEGMENTS_PER_CLASS}): "
                   f"{', '.join(few)}; each fold of the first stage sees one or two examples of it, or none")
    missing = [lab for lab, n in counts.items() if n == 0]
    if missing:
        out.append(f"no segment labelled {' or '.join(missing)}: the model will never give "
                   f"{'that label' if len(missing) == 1 else 'those labels'}")
    return out


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
        "training_data": {"files": data_hashes or {}, "documents": len(docs), "segments": counts,
                          "warnings": data_warnings(docs)},
        "html_estimator_from": base_model.info(),
        # the HTML estimator is the base model's, not refitted (the model card says so)
        "kept_from": {"html": f"{base_model.info().get('name')} {base_model.info().get('version')}"}
        if "html" in base_model.estimators else {},
        # `train` measures no cross-validation: the card says so, and `evaluate` measures held-out data
        "cross_validation": {},
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
