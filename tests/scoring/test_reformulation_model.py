"""The fitted reformulation decision (French, product genres): shipped, deterministic, and used."""

from __future__ import annotations

import numpy as np

from scoring.annotate import annotate_turns, evidence_of
from scoring.reformulation import FEATURE_NAMES
from scoring.reformulation_model import ReformulationModel, best_threshold, cross_validate, shipped_model

PARTNER = ("Nos techniciens passent deux heures par jour à ressaisir les bons d'intervention, et on a eu "
           "quatorze litiges clients le trimestre dernier à cause d'erreurs de saisie.")


def _item(text: str, genre: str | None = "sales") -> dict:
    return {"id": "t", "text": text, "genre": genre, "context": [{"speaker": "other", "text": PARTNER}]}


def test_the_shipped_model_loads_with_the_detectors_features() -> None:
    model = shipped_model("fr")
    assert model is not None and model.weights is not None
    assert len(model.weights) == len(FEATURE_NAMES) + model.buckets
    assert 0.2 <= model.threshold <= 0.9
    assert shipped_model("en") is None


def test_fitting_is_deterministic_and_learns_the_evidence() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, len(FEATURE_NAMES) + 8))
    y = x[:, 0] + 0.5 * x[:, 1] > 0
    first = ReformulationModel(buckets=8).fit(x, y)
    second = ReformulationModel(buckets=8).fit(x, y)
    assert first.weights is not None and second.weights is not None
    assert np.array_equal(first.weights, second.weights)
    accuracy = float(((first.transform(x) >= 0.5) == y).mean())
    assert accuracy > 0.9


def test_grouped_folds_keep_a_conversation_together_and_the_threshold_balances_p_and_r() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(120, len(FEATURE_NAMES) + 4))
    y = x[:, 2] > 0.3
    groups = [f"c{i // 6}" for i in range(120)]
    oof = cross_validate(x, y, groups, k=4)
    assert oof.shape == (120,) and ((oof >= 0) & (oof <= 1)).all()
    assert 0.2 <= best_threshold(oof, y) <= 0.9


def test_a_restatement_of_the_partners_figures_is_one_and_a_pitch_is_not() -> None:
    restated = ("Si je vous suis bien, vos techniciens perdent deux heures chaque jour en ressaisie et ces erreurs "
                "vous ont coûté quatorze litiges sur le trimestre.")
    pitch = "Notre application synchronise les bons toutes les heures et se déploie en trois semaines."
    a, b = annotate_turns([_item(restated), _item(pitch)])
    assert a.is_reformulation and not b.is_reformulation
    evidence = evidence_of(_item(restated))
    assert evidence is not None and evidence.strong == 1.0 and evidence.overlap > 0


def test_without_a_genre_the_hand_weights_decide() -> None:
    """The model was fitted on the product's conversations; input of unknown genre keeps the calibrated
    hand weights (scores on ../shared/eval kept)."""
    text = "Si je vous suis bien, vos techniciens perdent deux heures par jour en ressaisie."
    with_genre = annotate_turns([_item(text)])[0]
    without = annotate_turns([_item(text, genre=None)])[0]
    assert with_genre.is_reformulation and without.is_reformulation
    assert with_genre.reformulation.score <= 1.0
    assert without.reformulation.score != with_genre.reformulation.score
