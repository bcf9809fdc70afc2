"""Question detection and typing on hand-written turns (both languages)."""

from __future__ import annotations

import pytest

from scoring.annotate import annotate_turns
from scoring.pipeline import get_nlp


def one(text: str, lang: str = "fr"):
    return annotate_turns([{"id": "x", "lang": lang, "text": text, "context": []}])[0]


@pytest.mark.parametrize(
    ("text", "is_q", "qtype", "form"),
    [
        ("Comment organisez-vous vos tournées commerciales ?", True, "open", "open"),
        ("Parlez-moi de votre façon de recruter", True, "open", "open"),
        ("Décrivez-moi une journée type de vos technico-commerciaux.", True, "open", "open"),
        ("J'aimerais comprendre ce qui a motivé ce changement de fournisseur.", True, "open", "open"),
        ("Est-ce que le budget est déjà voté ?", True, "closed", "closed"),
        ("Avez-vous déjà travaillé avec un intégrateur", True, "closed", "closed"),
        ("Vous préférez une livraison le lundi ou le jeudi ?", True, "closed", "alternative"),
        ("Vous ne pensez pas que ce serait plus simple avec notre outil ?", True, "closed", "leading"),
        ("C'est la meilleure option, n'est-ce pas ?", True, "closed", "leading"),
        ("Nous livrons partout en France sous quarante-huit heures.", False, None, None),
        ("Asseyez-vous, je vous en prie.", False, None, None),
        ("Quel est votre budget pour l'an prochain", True, "closed", "closed"),
        ("Pourquoi avoir changé de prestataire", True, "open", "open"),
        ("Quand je suis arrivé, le stock était vide.", False, None, None),
    ],
)
def test_french_questions(text: str, is_q: bool, qtype: str | None, form: str | None) -> None:
    ann = one(text)
    assert ann.is_question is is_q
    assert ann.question_type == qtype
    assert ann.question_form == form
    if is_q:
        assert ann.question_evidence, "a question must quote the sentence that asks"


@pytest.mark.parametrize(
    ("text", "is_q", "qtype"),
    [
        ("What matters most to your team this quarter?", True, "open"),
        ("Tell me about the last time a delivery went wrong.", True, "open"),
        ("Do you already have a budget for this", True, "closed"),
        ("Would you rather start in March or in April?", True, "closed"),
        ("How many people use the tool every day?", True, "closed"),
        ("We deliver within two days everywhere in the country.", False, None),
        # English asks by inversion: a wh-word or auxiliary must open the clause.
        ("Did your buyers mention anything else during the audit?", True, "open"),
        ("Okay, so what do you like about this supplier", True, "open"),
        ("Have you tried the new route planner", True, "closed"),
        ("Our drivers do that every morning.", False, None),
        ("That's what our drivers usually prefer.", False, None),
        ("Let's check how the pilot went last month.", False, None),
        ("The buyer picks which warehouse gets the stock.", False, None),
        ("When the invoice arrived, the amount was wrong?", True, "closed"),
        ("We met a buyer who really liked the demo?", True, "closed"),
        ("So how confident are you about the launch date", True, "open"),
        ("What you decide is up to your board.", False, None),
        ("I'm wondering what your team thinks of the new pricing.", True, "open"),
        ("You're wondering how the new contract will change your margins.", False, None),
    ],
)
def test_english_questions(text: str, is_q: bool, qtype: str | None) -> None:
    ann = one(text, "en")
    assert ann.is_question is is_q
    assert ann.question_type == qtype


def test_spin_roles() -> None:
    assert one("Quelles difficultés rencontrez-vous avec votre prestataire actuel ?").spin == "problem"
    assert one("Quelles conséquences ces retards ont-ils sur vos ventes ?").spin == "implication"
    assert one("Si vous pouviez suivre chaque camion, qu'est-ce que cela vous apporterait ?").spin == "need_payoff"
    assert one("What would happen if the line stopped for a whole day?", "en").spin == "implication"


def test_component_on_hand_built_doc() -> None:
    """The component works on a Doc made by the pipeline's own tokenizer, without annotate_turns."""
    nlp = get_nlp("fr")
    doc = nlp("Bonjour. Comment gérez-vous les retours clients ?")
    assert doc._.is_question and doc._.question_type == "open"
    assert [s.text for s in doc._.question_spans] == ["Comment gérez-vous les retours clients ?"]
    doc = nlp("Merci pour votre accueil.")
    assert not doc._.is_question and doc._.question_type is None


def test_small_talk_is_flagged_phatic() -> None:
    greet = one("Bonjour, comment allez-vous ?")
    assert greet.is_question and greet.phatic
    mixed = one("Comment allez-vous ? Racontez-moi vos projets pour cette année.")
    assert mixed.is_question and not mixed.phatic and mixed.question_type == "open"
    assert one("Hi, how are you doing today?", "en").phatic


def test_components_on_blank_pipeline_with_hand_built_doc() -> None:
    """Components work standalone, negspacy-style: blank pipeline, Doc built from words."""
    import spacy
    from spacy.tokens import Doc

    import scoring.components  # noqa: F401  (registers the factories)

    nlp = spacy.blank("fr")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("scoring_markers")
    nlp.add_pipe("scoring_questions")
    words = ["Vous", "préférez", "mardi", "ou", "jeudi", "?", "Parlez-moi", "de", "vos", "équipes", "."]
    spaces = [True, True, True, True, True, True, True, True, True, False, False]
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    forms = [s._.question_form for s in doc._.question_spans]
    assert forms == ["alternative", "open"]
    assert doc._.question_type == "open"  # type of the last question asked
    assert {m.label_ for m in doc._.markers} >= {"question_request"}
