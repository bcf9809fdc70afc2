"""Which need or fact a turn is about: a fact's answer sentence shares words with many questions."""

from __future__ import annotations

from scoring.annotate import annotate_turns

TOPICS = [
    {"id": "fact:permanences", "text": "Le samedi matin, deux conseillers tiennent la permanence de 9 h à 13 h "
                                       "et le mardi soir une astreinte jusqu'à 20 h.", "keywords": ["permanence"]},
    {"id": "need:charge", "text": "charge de travail appels semaine", "keywords": ["charge"]},
]


def topics(text: str) -> list[str]:
    item = {"id": "t", "text": text, "genre": "mediation", "topics": TOPICS,
            "context": [{"speaker": "other", "text": "Je vous écoute."}]}
    return annotate_turns([item])[0].topics


def test_one_word_of_a_facts_answer_is_not_enough() -> None:
    assert "fact:permanences" not in topics("Tu peux me dire comment s'est passée ta réunion de mardi ?")


def test_a_keyword_or_several_words_of_the_fact_are() -> None:
    assert "fact:permanences" in topics("Comment s'organisent les permanences en ce moment ?")
    assert "fact:permanences" in topics("Qui tient le samedi matin avec les conseillers ?")


def test_needs_still_match_by_their_description() -> None:
    assert "need:charge" in topics("Combien d'appels traites-tu par semaine ?")
