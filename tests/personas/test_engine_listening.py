"""Lines real writers found incoherent (issue 12, seventh session), as engine behaviour on hand-built sessions:
a long turn the persona has just approved is not met with impatience; the right argument to an objection
before the persona told why it matters gets that reason, not « vous ne répondez pas »; an objection that
still stands is restated in the persona's other words before any line is said a second time."""

from __future__ import annotations

from personas.engine import TurnSignals
from personas.loader import load_library
from tests.personas.persona_helpers import Session

LIB = load_library()
B2 = LIB["b2-transport-frigorifique"]
B4 = LIB["b4-acheteuse-habitat-social"]
OPEN = TurnSignals(is_question=True, question_type="open")
ACCURATE = TurnSignals(is_reformulation=True, reformulation_accuracy="accurate")
FILLER = ("et je tiens à préciser que nous avons pris le temps de bien regarder votre situation "
          "avant cette rencontre, avec toute l'équipe qui suivrait votre dossier au quotidien ")


def _impatient_persona():
    """The prospect with almost no patience for monologues: the first long turn without a question wears it."""
    personality = B2.personality.model_copy(update={"monologue_words": 20, "monologue_patience": 0})
    return B2.model_copy(update={"personality": personality})


def _with_planning_told(persona) -> Session:
    s = Session(persona)
    for _ in range(4):
        s.say("Comment organisez-vous vos tournées aujourd'hui ?", "ask_situation", analysis=OPEN)
        if "planning-artisanal" in s.state["revealed_needs"]:
            return s
    raise AssertionError(s.state["events"])


def _spoken(s: Session) -> list[str]:
    return [line.text for line in s.results[-1].lines]


def test_a_long_accurate_restatement_is_approved_without_impatience():
    persona = _impatient_persona()
    s = _with_planning_told(persona)
    s.say("Si je vous suis bien, vos tournées sont encore planifiées à la main dans un fichier Excel, "
          + FILLER, "reformulate", analysis=ACCURATE)
    events = [e for e in s.state["events"] if e.startswith(f"{s.state['turn']}:")]
    assert any("reformulation_ok" in e or "summary_ok" in e for e in events), events
    assert not set(_spoken(s)) & set(persona.lines["impatient"][persona.main_speaker.id])


def test_a_long_statement_nobody_welcomed_still_wears_patience():
    persona = _impatient_persona()
    s = _with_planning_told(persona)
    s.say("Notre société existe depuis longtemps " + FILLER + "et nos clients sont contents.", "inform",
          analysis=TurnSignals())
    assert set(_spoken(s)) & set(persona.lines["impatient"][persona.main_speaker.id])


def _objection_open(trust: float) -> Session:
    """The buyer has raised her objection on the six full days; the format need is not told yet."""
    s = Session(B4)
    s.say("Bonjour Madame Perrin, merci pour votre accueil.", "greet")
    s.state["open_objections"] = ["presentiel"]
    s.state["trust"] = trust
    return s


ANSWER = ("Nous pouvons découper le parcours en demi-journées, organisées dans vos agences, "
          "pour qu'aucun responsable ne quitte son secteur longtemps.")


def test_the_right_argument_before_the_need_gets_the_reason_then_resolves():
    s = _objection_open(trust=0.6)
    s.say(ANSWER, "handle_objection")
    assert "exigences-format" in s.state["revealed_needs"]
    assert "presentiel" in s.state["open_objections"]
    need = next(n for n in B4.needs if n.id == "exigences-format")
    assert _spoken(s)[0] in need.reveal
    s.say("Des demi-journées dans chaque agence, c'est exactement ce que nous ferions.", "handle_objection")
    assert "presentiel" in s.state["resolved_objections"]


def test_the_right_argument_with_too_little_trust_reveals_nothing():
    s = _objection_open(trust=0.2)
    s.say(ANSWER, "handle_objection")
    assert "exigences-format" not in s.state["revealed_needs"]
    assert "presentiel" in s.state["open_objections"]


def test_an_objection_that_stands_is_restated_before_any_line_is_repeated():
    s = _objection_open(trust=0.2)
    obj = next(o for o in B4.objections if o.id == "presentiel")
    said = []
    for text in ("Je comprends bien votre inquiétude sur ce point.",
                 "Nos formateurs sont très expérimentés, croyez-moi.",
                 "C'est un programme qui a fait ses preuves ailleurs."):
        s.say(text, "handle_objection")
        said.extend(_spoken(s))
    assert len(said) == 3 and len(set(said)) == 3, said
    assert said[0] in obj.unresolved_lines
    assert set(said[1:]) <= set(obj.lines)


B5 = LIB["b5-conflit-permanences"]


def _to(member: str) -> TurnSignals:
    """An open question the reading says is addressed to one member (a reader with content)."""
    return TurnSignals(is_question=True, question_type="open", addressee=[member], reader_version="4.0")


def test_a_fact_of_the_other_member_in_the_lead_in_is_not_answered_by_them():
    s = Session(B5)
    s.say("Bonjour à tous les deux, merci d'être venus.", "greet")
    s.say("On m'a parlé des volontaires qu'on cherchait au dernier moment. Hugo, toi, comment tu as vécu "
          "ces mois-là ?", "invite_to_speak", analysis=_to("hugo"))
    lines = s.results[-1].lines
    assert lines and lines[0].speaker_id == "hugo", lines  # Nadia may cut in after him, never answer for him
    assert not any(e.endswith("fact_given:regle_permanences") for e in s.state["events"])


def test_the_same_fact_asked_of_its_owner_is_answered():
    s = Session(B5)
    s.say("Bonjour à tous les deux, merci d'être venus.", "greet")
    s.say("Nadia, comment faisait-on appel aux volontaires pour le samedi, jusqu'ici ?", "invite_to_speak",
          analysis=_to("nadia"))
    assert any(e.endswith("fact_given:regle_permanences") for e in s.state["events"]), s.state["events"]
    assert s.results[-1].lines[0].speaker_id == "nadia"


AERO = LIB["b4-acheteur-aeronautique"]


def test_the_buyer_never_asks_for_what_the_seller_just_granted():
    s = Session(AERO)
    s.say("Bonjour Monsieur Delorme, merci de me recevoir.", "greet")
    s.say("Je vous accorde l'intervention garantie en quatre heures sur vos centres cinq axes, c'est un geste.",
          "concede")
    demands = [e for e in s.state["events"] if ":demand:" in e]
    assert demands and not any(e.endswith("demand:delai-4h") for e in demands), s.state["events"]
    four_hours = next(w for w in AERO.negotiation.wants_in_exchange if w.id == "delai-4h")
    assert not any(four_hours.label in line.text for line in s.results[-1].lines)


def test_once_every_want_was_named_the_buyer_presses_without_a_new_demand():
    s = Session(AERO)
    s.say("Bonjour Monsieur Delorme, merci de me recevoir.", "greet")
    s.state["wants_named"] = [w.id for w in AERO.negotiation.wants_in_exchange]
    s.say("Bon, je fais un effort supplémentaire sur notre tarif, sans rien vous demander.", "concede")
    assert f"{s.state['turn']}:demand:none_left" in s.state["events"]
    spoken = [line.text for line in s.results[-1].lines]
    assert spoken and not any(w.label in t for w in AERO.negotiation.wants_in_exchange for t in spoken)


def test_the_member_asked_answers_a_turn_that_also_thanks_the_other() -> None:
    """The reader lists the member asked first when the turn spoke to the other on the way (« Merci,
    Nadia, c'est clair… Hugo, et toi, qu'est-ce que tu proposes ? »): the first id answers."""
    s = Session(B5)
    s.say("Bonjour à tous les deux, merci d'être venus.", "greet")
    thanked_then_asked = TurnSignals(is_question=True, question_type="open", addressee=["hugo", "nadia"],
                                     reader_version="4.1")
    s.say("Merci Nadia, tu as été claire et je retiens ce que tu dis sur les samedis. Hugo, de ton côté, "
          "qu'est-ce qui rendrait le planning plus juste pour toi ?", "invite_to_speak",
          analysis=thanked_then_asked)
    lines = s.results[-1].lines
    assert lines and lines[0].speaker_id == "hugo", lines
