"""A yes/no question gets an answer that says something (issue 12, sets F and G: « Plus ou moins. »).

The turns are written for these tests. A closed question still reveals no hidden need, but the persona
says why one word will not do (too early: the guarded line; a subject larger than a yes or a no), takes
a need it already told one layer deeper, and says it does not hold a precise figure it has no fact for.
The bare short answer stays for questions that name nothing the persona holds.
"""

from __future__ import annotations

from personas.engine import TurnSignals
from personas.engine.discovery import CLOSED_ON_NEED_DEFAULTS, FACT_UNKNOWN_DEFAULTS
from personas.loader import load_library
from tests.personas.persona_helpers import Session

FRIGO = load_library()["b2-transport-frigorifique"]
CLAIRE = FRIGO.main_speaker.id


def closed(subtype: str = "fermee") -> TurnSignals:
    return TurnSignals(reader_version="2.0", is_question=True, question_type="closed", question_subtype=subtype)


def _need(need_id: str):
    return next(n for n in FRIGO.needs if n.id == need_id)


def _said(session: Session) -> list[str]:
    return [line.text for line in session.results[-1].lines]


def _trusting(trust: float) -> Session:
    s = Session(FRIGO)
    s.say("Bonjour Madame Vasseur, merci de m'accorder ce moment.", "greet")
    s.state["trust"] = trust
    return s


def test_yes_no_question_on_an_untold_need_says_why_one_word_will_not_do():
    s = _trusting(0.9)
    s.say("Il y a une date butoir qui vous presse, de votre côté ?", "closed_question", analysis=closed())
    assert s.state["revealed_needs"] == []  # a closed question still reveals nothing
    assert "closed_on_need:calendrier" in s.events
    assert _said(s)[0] in CLOSED_ON_NEED_DEFAULTS
    assert _said(s)[0] not in FRIGO.lines["closed_short"][CLAIRE]


def test_yes_no_question_on_an_untold_need_too_early_gets_the_guarded_line():
    s = _trusting(0.1)
    s.say("Vous tenez un calendrier pour ce changement ?", "closed_question", analysis=closed())
    assert s.state["revealed_needs"] == []
    assert "need_guarded:calendrier" in s.events
    assert _said(s)[0] in FRIGO.lines["guarded"][CLAIRE]


def test_yes_no_follow_up_on_a_told_need_gets_its_next_layer():
    s = _trusting(0.9)
    s.say("Comment se passent vos échéances avec vos gros clients ?", "ask_timing",
          analysis=TurnSignals(reader_version="2.0", is_question=True, question_type="open",
                               question_subtype="ouverte"))
    assert "calendrier" in s.state["revealed_needs"]
    s.say("Et cette échéance de juin, elle vous inquiète ?", "closed_question", analysis=closed())
    assert "closed_on_told_need:calendrier" in s.events
    assert _said(s)[0] == _need("calendrier").deeper[0]


def test_precise_closed_question_on_a_figure_the_persona_lacks_says_so():
    s = _trusting(0.9)
    s.say("Vos frigos tournent à moins dix-huit degrés en moyenne ?", "closed_question", analysis=closed("precise"))
    assert "fact_unknown" in s.events
    assert _said(s)[0] in FACT_UNKNOWN_DEFAULTS


def test_yes_no_question_naming_nothing_held_keeps_the_short_answer():
    s = _trusting(0.9)
    s.say("Vous aimez le café serré ?", "closed_question", analysis=closed())
    assert _said(s)[0] in FRIGO.lines["closed_short"][CLAIRE]


def test_lead_in_words_do_not_pick_the_need_of_a_yes_no_question():
    s = _trusting(0.9)
    # « tournées » and « logiciel » are the planning need's words, but only in the lead-in.
    s.say("Notre logiciel refait vos tournées en quelques minutes. Je vous envoie une vidéo ?",
          "closed_question", analysis=closed())
    assert not any(e.startswith(("closed_on_need", "need_guarded", "closed_on_told_need")) for e in s.events)
    assert _said(s)[0] in FRIGO.lines["closed_short"][CLAIRE]
