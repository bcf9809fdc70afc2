"""The aggression model's parse features (tagger and morphology: a judgement of the person, a
negation aimed at them, a comparison, an order with a clitic) and its grouped folds. Own sentences."""

from __future__ import annotations

import pytest

from scoring.aggression_model import (
    TRAIN_CONVERSATIONS,
    LabelledTurn,
    _parse_features,
    conversation_folds,
    training_turns,
)
from scoring.pipeline import get_nlp


@pytest.fixture(scope="module")
def nlp():
    return get_nlp("fr")


def features(nlp, text: str) -> list[float]:
    with nlp.select_pipes(disable=["scoring_aggression_model"]):
        return _parse_features(nlp(text))


def test_a_judgement_of_the_person_is_read_from_the_morphology(nlp) -> None:
    judged, *_ = features(nlp, "Tu es vraiment un piètre vendeur.")
    assert judged == 1.0
    assert features(nlp, "Votre catalogue est très complet.")[0] == 0.0  # « votre » is no subject


def test_a_negation_aimed_at_the_partner_and_an_order_with_a_clitic(nlp) -> None:
    assert features(nlp, "Vous ne savez rien de nos contraintes.")[1] == 1.0
    assert features(nlp, "Calmez-vous et relisez le contrat.")[3] == 1.0
    assert features(nlp, "Je vous remercie pour ce rendez-vous.") == [0.0, 0.0, 0.0, 0.0]


def test_a_comparison_with_a_person_noun(nlp) -> None:
    assert features(nlp, "Vous parlez comme un stagiaire.")[2] == 1.0


def test_set_d_is_in_the_fit_and_folds_keep_each_conversation_whole() -> None:
    assert "D" in TRAIN_CONVERSATIONS
    turns = training_turns()
    assert any(t.set_name == "D" for t in turns)
    folds = conversation_folds(turns)
    by_conversation: dict[str, set[int]] = {}
    for t, k in zip(turns, folds, strict=True):
        if t.conversation is not None:
            by_conversation.setdefault(t.conversation, set()).add(k)
    assert by_conversation and all(len(ks) == 1 for ks in by_conversation.values())
    single = [k for t, k in zip(turns, folds, strict=True) if t.conversation is None]
    assert set(single) <= {-1}


def test_a_fold_never_splits_a_hand_made_conversation() -> None:
    turns = [LabelledTurn(f"t{i}", i % 3 == 0, f"c{i // 4}", "X") for i in range(40)]
    folds = conversation_folds(turns, folds=5)
    for c in {t.conversation for t in turns}:
        assert len({k for t, k in zip(turns, folds, strict=True) if t.conversation == c}) == 1
