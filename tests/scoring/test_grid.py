"""Whole transcripts: the strong candidate gets higher levels than the weak one, per bloc."""

from __future__ import annotations

import pytest

from scoring.grid import JURY_LABEL
from scoring.report import score_transcript
from tests.scoring import samples as s


def levels(report) -> dict[str, int | None]:
    return {i.id: i.level for i in report.grid.items}


@pytest.mark.parametrize(
    ("bloc", "strong", "weak", "thresholds"),
    [
        (2, s.BLOC2_STRONG, s.BLOC2_WEAK, None),
        (4, s.BLOC4_STRONG, s.BLOC4_WEAK, s.BLOC4_THRESHOLDS),
        (5, s.BLOC5_STRONG, s.BLOC5_WEAK, None),
    ],
)
def test_strong_beats_weak(bloc, strong, weak, thresholds) -> None:
    good = score_transcript(s.make(bloc, strong, negotiation=thresholds))
    bad = score_transcript(s.make(bloc, weak, negotiation=thresholds))
    assert good.grid is not None and bad.grid is not None
    assert good.grid.overall is not None and bad.grid.overall is not None
    assert good.grid.overall >= bad.grid.overall + 1.0
    lg, lb = levels(good), levels(bad)
    for cid, level in lg.items():
        if level is not None and lb[cid] is not None:
            assert level >= lb[cid], cid
    for item in good.grid.items:
        if item.level is not None:
            assert item.rationale and item.level_label
            assert all(ev.turn_id.startswith("t") and ev.quote for ev in item.evidence)


def test_unobservable_criterion_is_left_to_jury() -> None:
    report = score_transcript(s.make(2, s.BLOC2_STRONG))
    pnl = next(i for i in report.grid.items if i.id == "techniques_communication")
    assert pnl.level is None and pnl.level_label == JURY_LABEL


def test_thresholds_without_prices_is_not_observed() -> None:
    """No observable evidence is level 0 with its reason, never a middle level nor a silent gap."""
    report = score_transcript(s.make(4, s.BLOC2_STRONG))
    item = next(i for i in report.grid.items if i.id == "seuils_negociation")
    assert item.level == 0
    assert "aucun prix" in item.rationale


def test_negotiation_figures_bloc4() -> None:
    weak = score_transcript(s.make(4, s.BLOC4_WEAK, negotiation=s.BLOC4_THRESHOLDS)).conversation.negotiation
    assert weak.candidate_opening == 48000
    assert weak.final_price == 36000
    assert weak.position is not None and weak.position.startswith("sous")
    strong = score_transcript(s.make(4, s.BLOC4_STRONG, negotiation=s.BLOC4_THRESHOLDS)).conversation.negotiation
    assert strong.counterparts_asked >= 1 and strong.final_price == 45000


def test_conversation_figures_contract() -> None:
    report = score_transcript(s.make(2, s.BLOC2_STRONG))
    data = report.model_dump(mode="json")
    conv = data["conversation"]
    for key in ("questions", "open_questions", "closed_questions"):
        assert isinstance(conv[key], int)
    assert conv["questions"] == conv["open_questions"] + conv["closed_questions"]
    assert conv["closing_summary"]["present"] and conv["closing_summary"]["coverage"] > 0
    assert [st["stage"] for st in conv["stages"]][:2] == ["ouverture", "decouverte"]
    assert data["summary_fr"].startswith("Prises de parole du candidat·e")


def test_determinism() -> None:
    t = s.make(5, s.BLOC5_STRONG)
    assert score_transcript(t).model_dump_json() == score_transcript(t).model_dump_json()


def test_renderers() -> None:
    from scoring.render import render_html, render_markdown

    report = score_transcript(s.make(2, s.BLOC2_STRONG))
    md = render_markdown(report)
    assert "# Rapport" in md and "Niveau" in md and "À évaluer par le jury" in md
    page = render_html(report)
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page


def test_rubric_params_and_thresholds_drive_the_levels() -> None:
    from scoring.rubric import load_rubric, parse_rubric

    transcript = s.make(2, s.BLOC2_STRONG)
    base = score_transcript(transcript)
    data = load_rubric(2).model_dump()
    listening = next(c for c in data["criteria"] if c["id"] == "ecoute_questionnement")
    listening["params"]["reformulations_target"] = 50  # demand far more reformulations
    listening["thresholds"] = [0.9, 0.95, 0.99]
    strict = score_transcript(transcript, parse_rubric(data))
    before = next(i for i in base.grid.items if i.id == "ecoute_questionnement")
    after = next(i for i in strict.grid.items if i.id == "ecoute_questionnement")
    assert after.measure < before.measure and after.level < before.level


def test_unknown_rubric_param_is_rejected() -> None:
    import pytest

    from scoring.errors import ScoringInputError
    from scoring.rubric import load_rubric, parse_rubric

    data = load_rubric(5).model_dump()
    data["criteria"][0]["params"]["w_typo"] = 1.0
    with pytest.raises(ScoringInputError) as exc:
        parse_rubric(data)
    assert "w_typo" in exc.value.message_fr
