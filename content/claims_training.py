"""Training of the claim checker's second-opinion model (needs the `claims` extra: scikit-learn).

Only the development part of the labelled set is read (`claims_eval.load_development()`). Reproducible: fixed seeds, a fixed
solver, and the weights written sorted and rounded.
"""

from __future__ import annotations

import json

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from content import claim_rules, claims_eval, claims_model
from content.claims import context_for

SEED = 15
C = 1.0
MIN_DF = 2
TARGET_PRECISION = 0.95
# A second opinion that only warns should be clearly sure: never below this, whatever the folds say.
MIN_THRESHOLD = 0.75


def _dataset():
    examples = claims_eval.load_development()
    rows, labels = [], []
    for example in examples:
        context = context_for(nutrients=example.context)
        analysis = claim_rules.analyse(example.sentence, context=context)
        rows.append(claims_model.features(example.sentence, analysis))
        labels.append(int(example.flag))
    # Keep the n-grams seen in at least MIN_DF development sentences: fewer, sturdier weights.
    df: dict[str, int] = {}
    for row in rows:
        for name in row:
            df[name] = df.get(name, 0) + 1
    rows = [{k: v for k, v in row.items() if k.startswith("r:") or df[k] >= MIN_DF} for row in rows]
    return rows, np.array(labels)


def _fit(rows, labels):
    vectorizer = DictVectorizer(sort=True)
    X = vectorizer.fit_transform(rows)
    clf = LogisticRegression(C=C, solver="lbfgs", random_state=SEED, max_iter=5000)
    clf.fit(X, labels)
    return vectorizer, clf


def train() -> dict:
    """Fit on the development set; pick the threshold on 5-fold out-of-fold predictions."""
    rows, labels = _dataset()
    oof = np.zeros(len(labels))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    for train_idx, test_idx in folds.split(np.zeros(len(labels)), labels):
        vectorizer, clf = _fit([rows[i] for i in train_idx], labels[train_idx])
        X = vectorizer.transform([rows[i] for i in test_idx])
        oof[test_idx] = clf.predict_proba(X)[:, 1]
    # The lowest threshold whose out-of-fold flags are right at least TARGET_PRECISION of the time.
    threshold = 0.99
    for t in np.arange(MIN_THRESHOLD, 0.99, 0.01):
        chosen = oof >= t
        if chosen.sum() and labels[chosen].mean() >= TARGET_PRECISION:
            threshold = float(round(t, 2))
            break
    vectorizer, clf = _fit(rows, labels)
    weights = {
        name: round(float(w), 5)
        for name, w in zip(vectorizer.get_feature_names_out(), clf.coef_[0], strict=True)
        if abs(w) >= 1e-5
    }
    oof_flags = oof >= threshold
    return {
        "about": "Second opinion of the claim checker (content/claims_model.py); trained by "
        "`manage.py train_claims_model` on the development part only (development.tsv, "
        "heldout.tsv of the first split, development_extra.tsv; never heldout2.tsv).",
        "seed": SEED,
        "C": C,
        "min_df": MIN_DF,
        "ngram_range": list(claims_model.NGRAM_RANGE),
        "threshold": threshold,
        "cv_precision_at_threshold": round(float(labels[oof_flags].mean()), 4)
        if oof_flags.any()
        else None,
        "cv_recall_at_threshold": round(float(oof_flags[labels == 1].mean()), 4),
        "intercept": round(float(clf.intercept_[0]), 5),
        "weights": dict(sorted(weights.items())),
    }


def write(model: dict) -> None:
    claims_model.MODEL_PATH.write_text(
        json.dumps(model, ensure_ascii=False, indent=0, sort_keys=False) + "\n", encoding="utf-8"
    )
    claims_model.model.cache_clear()
