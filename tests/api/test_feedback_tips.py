"""Practice tips read the turn reading: précise questions are no flaw, a tip quotes the candidate."""

from __future__ import annotations

from api.services.feedback import tips_for


def report(*turns: tuple[str, str]) -> dict:
    annotated = [{"question_subtype": subtype, "question_evidence": [text]} for subtype, text in turns]
    return {"turns": annotated, "conversation": {"questions": len(turns), "open_questions": 0,
                                                 "reformulations": len(turns),
                                                 "closing_summary": {"present": True, "has_deadline": True}}}


def test_precise_questions_are_not_told_to_open_up():
    tips = tips_for(report(("precise", "Qui signe le bon de commande ?"), ("precise", "Combien de sites ?")))
    assert not any("Ouvrez vos questions" in t for t in tips)


def test_a_yes_no_habit_is_shown_with_the_candidates_own_question():
    tips = tips_for(report(("fermee", "Vous avez un budget pour ça ?"), ("fermee", "C'est urgent ?"),
                           ("ouverte", "Comment travaillez-vous ?")))
    tip = next(t for t in tips if "Ouvrez vos questions" in t)
    assert "« Vous avez un budget pour ça ? »" in tip and "2 sur 3" in tip


def test_free_concessions_get_a_tip_traded_ones_do_not():
    base = report(("ouverte", "Comment travaillez-vous ?"))
    base["conversation"]["negotiation"] = {"concessions_candidate": 2, "concessions_free": 0, "counterparts_asked": 2}
    assert not any("contrepartie" in t for t in tips_for(base))
    base["conversation"]["negotiation"]["concessions_free"] = 1
    assert any("contrepartie" in t for t in tips_for(base))
