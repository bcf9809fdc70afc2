"""The fitted aggression detector: fit/transform on hand-built docs, and the shipped weights."""

from __future__ import annotations

import pytest

from scoring.aggression_model import MODEL_PATH, AggressionModel, aimed_at_partner
from scoring.annotate import annotate_turns
from scoring.pipeline import get_nlp


@pytest.fixture(scope="module")
def nlp():
    return get_nlp("fr")


def test_fit_then_transform_separates_what_it_was_shown(nlp):
    rude = ["Vous êtes un amateur, franchement.", "Tu racontes n'importe quoi, comme toujours.",
            "Vous me prenez pour un idiot ?", "Franchement vous êtes lamentables."]
    kind = ["Merci pour ces précisions.", "Comment organisez-vous vos tournées ?",
            "Je vous propose un point mardi.", "Pouvez-vous m'en dire plus sur vos délais ?"]
    with nlp.select_pipes(disable=["scoring_aggression_model"]):
        docs = list(nlp.pipe(rude + kind))
    model = AggressionModel(epochs=200).fit(docs, [True] * 4 + [False] * 4)
    probs = model.transform(docs)
    assert min(probs[:4]) > max(probs[4:])
    assert AggressionModel().transform(docs) == [0.0] * 8  # not fitted: no opinion


def test_the_shipped_weights_load_and_flag_contempt_without_a_listed_word():
    assert MODEL_PATH.exists()
    reading = annotate_turns([{"id": 1, "text": "Vous êtes un acheteur de bas étage, franchement."}])[0]
    assert reading.assertiveness == "aggressive"
    assert reading.assertiveness_markers and "modèle" in reading.assertiveness_markers[0]


def test_the_model_only_speaks_of_turns_aimed_at_the_partner(nlp):
    assert not aimed_at_partner(nlp("Comme d'habitude, on va commencer par un diagnostic."))
    assert not aimed_at_partner(nlp("Merci, vous êtes très clair."))
    assert aimed_at_partner(nlp("Vous négociez comme un marchand de tapis."))
