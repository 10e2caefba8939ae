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
TARGET_PRECISION = 0.90
# A second opinion that only warns should be clearly sure: never below this, whatever the folds say.
MIN_THRESHOLD = 0.6


def _analyses():
    examples = claims_eval.load_development()
    analyses = [
        claim_rules.analyse(e.sentence, context=context_for(nutrients=e.context)) for e in examples
    ]
    return examples, analyses


def _min_df(rows: list[dict]) -> list[dict]:
    """Keep the n-grams seen in at least MIN_DF of `rows`: fewer, sturdier weights."""
    df: dict[str, int] = {}
    for row in rows:
        for name in row:
            df[name] = df.get(name, 0) + 1
    return [{k: v for k, v in row.items() if k.startswith("r:") or df[k] >= MIN_DF} for row in rows]


def _dataset(examples=None, analyses=None):
    if examples is None:
        examples, analyses = _analyses()
    rows = [claims_model.features(e.sentence, a) for e, a in zip(examples, analyses, strict=True)]
    labels = [int(e.flag) for e in examples]
    return _min_df(rows), np.array(labels)


def _out_of_fold(rows, labels, seed=SEED):
    """5-fold out-of-fold probabilities (each sentence scored by a model that never saw it)."""
    oof = np.zeros(len(labels))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    for train_idx, test_idx in folds.split(np.zeros(len(labels)), labels):
        vectorizer, clf = _fit(_min_df([rows[i] for i in train_idx]), labels[train_idx])
        X = vectorizer.transform([rows[i] for i in test_idx])
        oof[test_idx] = clf.predict_proba(X)[:, 1]
    return oof


def _threshold(oof, labels) -> float:
    """The lowest threshold whose out-of-fold flags are right at least TARGET_PRECISION of the
    time, never below MIN_THRESHOLD."""
    for t in np.arange(MIN_THRESHOLD, 0.99, 0.01):
        chosen = oof >= t
        if chosen.sum() and labels[chosen].mean() >= TARGET_PRECISION:
            return float(round(t, 2))
    return 0.99


def _fit(rows, labels):
    vectorizer = DictVectorizer(sort=True)
    X = vectorizer.fit_transform(rows)
    clf = LogisticRegression(C=C, solver="lbfgs", random_state=SEED, max_iter=5000)
    clf.fit(X, labels)
    return vectorizer, clf


def train() -> dict:
    """Fit on the development set; pick the threshold on 5-fold out-of-fold predictions."""
    rows, labels = _dataset()
    oof = _out_of_fold(rows, labels)
    threshold = _threshold(oof, labels)
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
        "heldout.tsv of the first split, development_extra.tsv, heldout2.tsv and heldout3.tsv "
        "since they were moved to development).",
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


def cross_validate(seed: int = SEED) -> dict[str, dict[str, float | int]]:
    """5-fold cross-validated figures on the development part (flag = positive).

    "model": the model alone, each sentence scored by a model trained on the other four folds,
    at a threshold chosen by an inner 5-fold split of those four folds. "checker": the rules
    plus that out-of-fold model, as `classify` combines them (the model only where the rules
    found nothing and the sentence is the model's to judge). The rules are not fitted, so they
    cannot be cross-validated: they were written on the whole development part, and the
    checker's figure is cross-validated for the model only.
    """
    examples, analyses = _analyses()
    labels = np.array([int(e.flag) for e in examples])
    rows = [claims_model.features(e.sentence, a) for e, a in zip(examples, analyses, strict=True)]
    flagged_by_model = np.zeros(len(labels), dtype=bool)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    for train_idx, test_idx in folds.split(np.zeros(len(labels)), labels):
        train_rows = _min_df([rows[i] for i in train_idx])
        threshold = _threshold(_out_of_fold(train_rows, labels[train_idx], seed), labels[train_idx])
        vectorizer, clf = _fit(train_rows, labels[train_idx])
        p = clf.predict_proba(vectorizer.transform([rows[i] for i in test_idx]))[:, 1]
        flagged_by_model[test_idx] = p >= threshold
    by_rules = np.array([bool(a.issues) for a in analyses])
    eligible = np.array(
        [claims_model.eligible(e.sentence, a) for e, a in zip(examples, analyses, strict=True)]
    )
    checker = by_rules | (eligible & flagged_by_model)
    return {
        "model": _figures(flagged_by_model, labels),
        "checker": _figures(checker, labels),
    }


def cross_validate_by_file(seed: int = SEED) -> dict[str, dict[str, dict[str, float | int]]]:
    """Leave-one-file-out figures: each file of the development part scored by a model trained
    (threshold included) on the other files only, as a new writer's file would be.

    Per file: "model" alone and "checker" (rules plus that model). The rules were written on all
    files, so the checker's figure is out-of-sample for the model only.
    """
    examples, analyses = _analyses()
    labels = np.array([int(e.flag) for e in examples])
    rows = [claims_model.features(e.sentence, a) for e, a in zip(examples, analyses, strict=True)]
    files = np.array(
        [path.name for path in claims_eval.DEVELOPMENT_PARTS for _e in claims_eval.load(path)]
    )
    by_rules = np.array([bool(a.issues) for a in analyses])
    eligible = np.array(
        [claims_model.eligible(e.sentence, a) for e, a in zip(examples, analyses, strict=True)]
    )
    result = {}
    for name in dict.fromkeys(files):
        test = files == name
        train_idx = np.flatnonzero(~test)
        train_rows = _min_df([rows[i] for i in train_idx])
        threshold = _threshold(_out_of_fold(train_rows, labels[train_idx], seed), labels[train_idx])
        vectorizer, clf = _fit(train_rows, labels[train_idx])
        test_idx = np.flatnonzero(test)
        p = clf.predict_proba(vectorizer.transform([rows[i] for i in test_idx]))[:, 1]
        flagged = p >= threshold
        result[name] = {
            "model": _figures(flagged, labels[test]),
            "checker": _figures(by_rules[test] | (eligible[test] & flagged), labels[test]),
        }
    return result


def _figures(predicted, labels) -> dict[str, float | int]:
    tp = int((predicted & (labels == 1)).sum())
    fp = int((predicted & (labels == 0)).sum())
    fn = int((~predicted & (labels == 1)).sum())
    tn = int((~predicted & (labels == 0)).sum())
    return {
        "precision": round(tp / (tp + fp), 3) if tp + fp else 0.0,
        "recall": round(tp / (tp + fn), 3) if tp + fn else 0.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
    }
