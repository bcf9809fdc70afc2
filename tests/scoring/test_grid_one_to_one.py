"""Bloc 5 one-to-one (a manager's coaching interview with one team member): the grid treats the one
member as the whole room. A listening manager whose plan the member accepted gets a report with no
word about a second member; a manager who imposes a plan the member refused is capped, and the refusal
names that member."""

from __future__ import annotations

from typing import Any

import pytest

from scoring.render import render_html, render_markdown
from scoring.report import ScoreReport, score_transcript
from scoring.transcript import EngineRecord, Transcript, Turn

SPEAKERS = [{"id": "marc", "name": "Marc Delorme"}]

LISTENED = [
    ("C", "Bonjour Marc. Je vous propose un point de trente minutes sur vos trois derniers mois : je vous "
          "donne les chiffres, puis je vous écoute, puis nous construisons ensemble la suite."),
    ("marc", "D'accord. Je me doutais qu'on allait en parler."),
    ("C", "Vos commandes sont passées de 52 à 38 par mois depuis juillet. Comment le vivez-vous ?"),
    ("marc", "Mal. Depuis la fusion des deux secteurs, je passe quatre heures par jour en voiture, et mes "
             "clients du sud me voient une fois par trimestre au lieu de chaque mois."),
    ("C", "Si je vous comprends bien, depuis la fusion des secteurs, vous passez quatre heures par jour en "
          "voiture, et vos clients du sud vous voient une fois par trimestre au lieu de chaque mois."),
    ("marc", "Oui, c'est exactement ça."),
    ("C", "Je vous propose de redécouper votre secteur en deux tournées et de passer deux jours par semaine en "
          "télévente sur le sud. Qu'en pensez-vous ?"),
    ("marc", "Oui, ça me convient, je peux m'y engager."),
    ("C", "Pour récapituler, nous sommes d'accord : deux tournées, deux jours de télévente, un objectif de 48 "
          "commandes par mois en février, et nous faisons le point ensemble le 3 février."),
    ("marc", "Entendu, merci."),
]
LISTENED_ENGINE = {
    "outcome": "agreement", "ended_reason": "persona", "seed": 5, "persona_version": "1.0",
    "state": {"turn": 5, "solution_agreed": True, "ended": True, "outcome": "agreement",
              "members": {"marc": {"tension": 0.1, "solution_accepted": True}},
              "events": ["2:grievance:marc:route", "3:reformulation_ok:marc", "4:solution_accepted:marc",
                         "5:summary_ok", "5:end:agreement"]},
}

IMPOSED = [
    ("C", "Bonjour Marc. Vos commandes sont passées de 52 à 38 par mois, ça ne peut pas durer."),
    ("marc", "Je sais lire un tableau, merci."),
    ("C", "Je vous propose qu'à partir de maintenant vous fassiez vingt visites par semaine."),
    ("marc", "Non, je refuse, ce n'est pas possible avec le secteur que j'ai. Je ne suis pas d'accord."),
    ("C", "C'est décidé, vous n'avez pas le choix."),
    ("marc", "Bon."),
    ("C", "Pour récapituler, nous sommes d'accord : vingt visites par semaine dès lundi, point dans un mois."),
    ("marc", "Si vous le dites."),
]
IMPOSED_ENGINE = {
    "outcome": "no_agreement", "ended_reason": "candidate", "seed": 5, "persona_version": "1.0",
    "state": {"turn": 4, "solution_agreed": False,
              "members": {"marc": {"tension": 0.7, "solution_accepted": False}},
              "events": ["2:solution_rejected:marc"]},
}


def _make(lines: list[tuple[str, str]], engine: dict[str, Any]) -> Transcript:
    names = {s["id"]: s["name"] for s in SPEAKERS}
    turns = [Turn(id=f"t{k + 1}", speaker_role="candidate" if who == "C" else "persona",
                  speaker_name="Candidat" if who == "C" else names[who],
                  speaker_id=None if who == "C" else who, text=text) for k, (who, text) in enumerate(lines)]
    return Transcript.model_validate({"bloc": 5, "language": "fr", "persona_id": "coaching", "turns": turns,
                                      "speakers": SPEAKERS, "engine": EngineRecord.model_validate(engine)})


@pytest.fixture(scope="module")
def reports() -> dict[str, ScoreReport]:
    return {"listened": score_transcript(_make(LISTENED, LISTENED_ENGINE)),
            "imposed": score_transcript(_make(IMPOSED, IMPOSED_ENGINE))}


def _all_text(report: ScoreReport) -> str:
    assert report.grid is not None
    parts = [report.summary_fr if hasattr(report, "summary_fr") else ""]
    for item in report.grid.items:
        parts += [item.rationale, item.capped_by, item.uncertainty_fr, *(e.note for e in item.evidence)]
    return " ".join(p for p in parts if p)


def test_one_member_transcript_gets_a_full_report(reports) -> None:
    report = reports["listened"]
    assert report.grid is not None and report.grid.items
    assert all(item.level is not None for item in report.grid.items)
    assert render_markdown(report) and render_html(report)


def test_no_second_member_in_a_one_to_one(reports) -> None:
    text = _all_text(reports["listened"]).lower()
    for words in ("un membre", "autre membre", "second membre", "deuxième membre", "les deux", "chacun des"):
        assert words not in text, words
    items = {i.id: i for i in reports["listened"].grid.items}
    listening = items["ecoute_assertivite"].rationale
    assert "1 reformulation(s) exacte(s)" in listening, listening
    assert not items["compte_rendu"].capped_by, items["compte_rendu"].rationale
    assert not items["posture_appropriee"].capped_by, items["posture_appropriee"].rationale


def test_a_plan_the_member_refused_is_capped_and_names_them(reports) -> None:
    items = {i.id: i for i in reports["imposed"].grid.items}
    closing = items["compte_rendu"]
    assert closing.level is not None and closing.level <= 1, closing.rationale
    assert "Marc Delorme" in closing.capped_by + closing.rationale
    assert "un membre" not in _all_text(reports["imposed"])
