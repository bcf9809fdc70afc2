"""Addressee on the structures of real mediation sessions (reader 4.1): a turn that speaks to each
member in turn, a plural « vous » after a « tu » to one, short follow-ups, acknowledgements before a
word to the group. Own sentences, own names."""

from __future__ import annotations

import pytest

from scoring.addressee import addressee
from scoring.schema import ContextTurn, SpeakerRef

TEAM = [SpeakerRef(id="lea", name="Léa Martin"), SpeakerRef(id="bruno", name="Bruno Caron")]


def after(speaker_id: str, text: str = "Je n'ai pas grand-chose à ajouter.") -> list[ContextTurn]:
    return [ContextTurn(speaker="other", speaker_id=speaker_id, text=text)]


def test_each_member_spoken_to_at_length_are_both_addressed_the_asked_one_first() -> None:
    text = ("Bruno, je te demande d'attendre ton tour, tu pourras répondre dans une minute. "
            "Léa, le devis est parti sans validation, comment l'as-tu appris ?")
    assert addressee(text, TEAM, after("bruno")) == ["lea", "bruno"]


def test_a_short_thanks_before_calling_the_other_hands_the_turn_over() -> None:
    text = "Merci Bruno, c'est noté. Léa, comment l'as-tu appris ?"
    assert addressee(text, TEAM, after("bruno")) == ["lea"]


def test_both_greeted_in_one_sentence_is_the_group() -> None:
    assert addressee("Salut Léa, salut Bruno ! On commence quand vous voulez.", TEAM, []) == []
    assert addressee("Hello Léa, hello Bruno! Shall we start?", TEAM, []) == []


def test_a_plural_vous_after_a_tu_to_one_member_is_the_group() -> None:
    text = "Bruno, tu gardes le dossier Gervais jusqu'en juin. Ça vous convient ?"
    assert addressee(text, TEAM, after("lea")) == []


@pytest.mark.parametrize("text", ["Pourquoi donc ?", "Lesquelles ?", "Trop tard comment ?"])
def test_a_short_follow_up_goes_to_whoever_spoke_last(text: str) -> None:
    assert addressee(text, TEAM, after("bruno", "Il y a d'autres soucis.")) == ["bruno"]
    assert addressee(text, TEAM, after("lea", "Il y a d'autres soucis.")) == ["lea"]


def test_a_request_to_one_goes_to_whoever_spoke_last() -> None:
    assert addressee("Alors expliquez-moi ce qui manque, je vous écoute.", TEAM, after("lea")) == ["lea"]


def test_a_long_question_without_name_stays_with_the_group() -> None:
    text = "Et pour la suite, qu'est-ce qu'on met en place pour que ce genre de devis ne reparte plus ?"
    assert addressee(text, TEAM, after("lea")) == []


def test_an_acknowledgement_then_a_word_to_all_three_is_the_group() -> None:
    text = "Entendu, Léa. Je voudrais maintenant qu'on regarde le planning de mai tous les trois."
    assert addressee(text, TEAM, after("lea")) == []


def test_did_you_guys_in_an_english_turn_is_the_group() -> None:
    assert addressee("So, did you guys see the new pricing grid?", TEAM, after("bruno")) == []
