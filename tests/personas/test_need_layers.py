"""Needs in layers: a follow-up on an opened need gets its next layer, then a recall of what was said;
« déjà dit » only for that very topic, never for a question the persona has not answered."""

from __future__ import annotations

from personas.engine import TurnSignals
from personas.loader import load_library
from tests.personas.persona_helpers import Session

LIB = load_library()
B2 = LIB["b2-transport-frigorifique"]
OPEN = TurnSignals(is_question=True, question_type="open")


def _opened(need_id: str) -> Session:
    s = Session(B2)
    s.state = None
    need = next(n for n in B2.needs if n.id == need_id)
    for _ in range(4):  # enough open questions for the trust this need asks
        s.say(f"Comment gérez-vous {need.keywords[0]} aujourd'hui ?", need.topics[0], analysis=OPEN)
        if need_id in s.state["revealed_needs"]:
            return s
    raise AssertionError(s.events)


def test_follow_ups_get_the_next_layers_then_a_recall():
    need = next(n for n in B2.needs if n.id == "planning-artisanal")
    s = _opened(need.id)
    said = []
    for _ in range(len(need.deeper) + 1):
        s.say("Et ce fichier Excel, concrètement, qu'est-ce que ça change pour vous ?", "ask_pain_points",
              analysis=OPEN)
        said.append(" ".join(line.text for line in s.results[-1].lines))
    assert said[: len(need.deeper)] == list(need.deeper)
    assert said[-1].startswith("Je vous l'ai dit tout à l'heure : ")
    assert any(sentence.split(". ")[0] in said[-1] for sentence in need.reveal)
    assert f"need_recalled:{need.id}" in s.events


def test_a_question_about_something_else_is_not_already_answered():
    s = _opened("planning-artisanal")
    s.say("Parlez-moi de votre entreprise, comment voyez-vous les prochaines années ?", "ask_situation", analysis=OPEN)
    spoken = " ".join(line.text for line in s.results[-1].lines)
    assert spoken not in B2.lines["nothing_new"][B2.main_speaker.id]
    assert "tout à l'heure" not in spoken and "déjà parlé" not in spoken
