"""Bloc 2 « il conclut en rappelant les éléments essentiels et la suite à donner » (grid 2.4).

A closing recap is worth what the partner confirmed: a recap the client did not confirm (the engine's
interlocutor found it thin, or the client pushes back on it) recaps nothing that was agreed, and one that
announces an agreement the client never gave counts against; a recap the client confirmed counts even
when no recap phrase marks it. Hand-written transcripts, engine records built by hand.
"""

from __future__ import annotations

from typing import Any

from scoring.engine_record import recap_reception
from scoring.report import score_transcript
from scoring.rubric import load_rubric
from scoring.transcript import EngineRecord, Transcript, Turn

OPENING = [
    ("C", "Bonjour Monsieur Lemoine, merci pour votre temps. Je vous propose de faire le point sur vos "
          "tournées, puis de voir ensemble si notre outil de planification peut vous aider."),
    ("P", "D'accord, je vous écoute."),
    ("C", "Comment organisez-vous aujourd'hui les tournées de vos techniciens ?"),
    ("P", "Tout se fait sur un tableur le vendredi, et chaque lundi il faut tout refaire à cause des absences."),
    ("C", "Combien de temps votre planificatrice y passe-t-elle chaque semaine ?"),
    ("P", "Une journée entière, parfois plus quand un client annule au dernier moment."),
    ("C", "Notre outil recalcule les tournées en quelques minutes dès qu'une absence ou une annulation est "
          "saisie : votre planificatrice récupère l'essentiel de sa journée."),
    ("P", "Ça m'intéresse, mais je dois voir le coût avec ma direction."),
]

# A recap that announces an agreement the client has not given, with a dated next step.
CLAIMED_RECAP = ("C", "Pour résumer : le tableur vous coûte une journée par semaine, notre outil la rend à votre "
                      "planificatrice ; c'est acté, nous sommes d'accord, je vous envoie le contrat et nous "
                      "signons jeudi 18 à 10 heures.")
# The same exchange ending on a recap with no recap phrase, that the client confirms.
PLAIN_CLOSE = ("C", "Le tableur vous coûte une journée par semaine et notre outil la rend à votre planificatrice. "
                    "Je vous envoie une proposition chiffrée pour votre direction avant jeudi 18 à 10 heures.")


def make(lines: list[tuple[str, str]], events: list[str] | None = None, outcome: str | None = None) -> Transcript:
    turns = [Turn(id=f"t{k + 1}", speaker_role="candidate" if who == "C" else "persona",
                  speaker_name="Candidat" if who == "C" else "M. Lemoine", speaker_id=None if who == "C" else "P",
                  text=text) for k, (who, text) in enumerate(lines)]
    engine: dict[str, Any] | None = None
    if events is not None:
        engine = {"outcome": outcome, "ended_reason": "candidate", "seed": 1, "persona_version": "1.0",
                  "state": {"turn": len(lines) // 2, "events": events}}
    return Transcript.model_validate({"bloc": 2, "language": "fr", "persona_id": "test", "turns": turns,
                                      "engine": EngineRecord.model_validate(engine) if engine else None})


def conclusion(t: Transcript, partner_confirmation: float | None = None) -> Any:
    rubric = load_rubric(2)
    if partner_confirmation is not None:
        criteria = [c.model_copy(update={"params": {**c.params, "partner_confirmation": partner_confirmation}})
                    if c.id == "conclusion_suite" else c for c in rubric.criteria]
        rubric = rubric.model_copy(update={"criteria": criteria})
    return next(i for i in score_transcript(t, rubric).grid.items if i.id == "conclusion_suite")


THIN = make([*OPENING, CLAIMED_RECAP, ("P", "Attendez, je n'ai rien signé du tout.")],
            events=["1:need_revealed:planning", "5:summary_thin"], outcome="no_deal")
CONFIRMED = make([*OPENING, CLAIMED_RECAP, ("P", "Oui, c'est bien ça.")],
                 events=["1:need_revealed:planning", "5:summary_ok"], outcome="follow_up_meeting")
PLAIN_CONFIRMED = make([*OPENING, PLAIN_CLOSE, ("P", "Très bien.")],
                       events=["1:need_revealed:planning", "5:summary_ok"], outcome="follow_up_meeting")
PLAIN_UNHEARD = make([*OPENING, PLAIN_CLOSE, ("P", "Très bien.")],
                     events=["1:need_revealed:planning"], outcome=None)
PUSHED_BACK = make([*OPENING, CLAIMED_RECAP, ("P", "Vous allez trop vite, je n'ai encore rien décidé.")])


def test_engine_reception_of_the_recap() -> None:
    assert recap_reception(THIN) == "thin"
    assert recap_reception(CONFIRMED) == "confirmed"
    assert recap_reception(PLAIN_UNHEARD) is None
    assert recap_reception(PUSHED_BACK) is None  # no engine record


def test_unconfirmed_recap_claiming_agreement_counts_against() -> None:
    item = conclusion(THIN)
    assert item.level is not None and item.level <= 1, item.rationale
    assert "non confirmée" in item.rationale
    assert "n'a pas confirmé" in item.capped_by
    # The 2.3 reading credited the recap phrase itself: the same transcript scored higher.
    before = conclusion(THIN, partner_confirmation=0.0)
    assert before.measure is not None and item.measure is not None and before.measure > item.measure


def test_confirmed_recap_is_credited() -> None:
    item = conclusion(CONFIRMED)
    assert item.level is not None and item.level >= 2, item.rationale
    assert not item.capped_by
    assert conclusion(THIN).level < item.level


def test_recap_the_partner_confirmed_counts_without_a_recap_phrase() -> None:
    confirmed, unheard = conclusion(PLAIN_CONFIRMED), conclusion(PLAIN_UNHEARD)
    assert confirmed.measure is not None and unheard.measure is not None
    assert confirmed.measure > unheard.measure, (confirmed.rationale, unheard.rationale)
    assert "confirmée par l'interlocuteur" in confirmed.rationale


def test_without_engine_the_partners_pushback_leaves_the_recap_unconfirmed() -> None:
    item = conclusion(PUSHED_BACK)
    assert item.level is not None and item.level <= 1, item.rationale
    assert "non confirmée" in item.rationale


def structure(t: Transcript) -> Any:
    return next(i for i in score_transcript(t).grid.items if i.id == "discours_structure")


def test_structure_credits_only_a_synthesis_the_client_confirmed() -> None:
    thin, confirmed = structure(THIN), structure(CONFIRMED)
    assert thin.measure is not None and confirmed.measure is not None
    assert confirmed.measure > thin.measure, (confirmed.rationale, thin.rationale)
    assert "pas de synthèse finale" in thin.rationale
    assert "synthèse finale" in confirmed.rationale and "pas de synthèse finale" not in confirmed.rationale
