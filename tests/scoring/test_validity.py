"""Agreement statistics (hand-computed cases) and the validity command on a tiny hand-made folder."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scoring import reliability
from scoring.kappa import agreement, consensus, weighted_kappa
from scoring.rubric import load_rubric_file
from scoring.validity import fit_thresholds, load_graded_set, load_rubrics, main

TINY = Path(__file__).parent / "data" / "validity_tiny"
# The rubrics as they were before any fit (grid 2.0), frozen here: these tests are about the command,
# not about the thresholds the packaged rubrics carry after a real fit.
FROZEN = TINY / "rubrics_2_0"
ROOT = Path(__file__).resolve().parents[2]


# --- quadratic-weighted kappa, by hand ------------------------------------------------------------------

def test_kappa_perfect_agreement_is_one() -> None:
    assert weighted_kappa([0, 1, 2, 3], [0, 1, 2, 3]) == pytest.approx(1.0)


def test_kappa_at_chance_is_zero() -> None:
    # Observed: (0,0) (0,1) (1,0) (1,1), a quarter each; weights (i−j)²/9. Σw·O = 2/9 · 1/4 = 1/18.
    # Marginals ½ ½ on both sides: expected ¼ per cell, Σw·E = 1/18 as well, so κ = 1 − 1 = 0.
    assert weighted_kappa([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(0.0)


def test_kappa_of_a_constant_shift() -> None:
    # a = 0 1 2, b = 1 2 3: Σw·O = 1/9. Expected: 1/9 per cell of {0,1,2}×{1,2,3}; Σ(i−j)² over these
    # cells = 14 + 5 + 2 = 21, so Σw·E = 21/81 and κ = 1 − (1/9)/(21/81) = 1 − 9/21 = 4/7.
    assert weighted_kappa([0, 1, 2], [1, 2, 3]) == pytest.approx(4 / 7)


def test_kappa_of_opposite_extremes_is_minus_one() -> None:
    # (0,3) and (3,0) half each: Σw·O = 1; marginals ½ on 0 and 3: Σw·E = 2 · ¼ · 1 = ½; κ = 1 − 2 = −1.
    assert weighted_kappa([0, 3], [3, 0]) == pytest.approx(-1.0)


def test_kappa_undefined_when_one_level_only() -> None:
    assert weighted_kappa([0, 0, 0], [0, 0, 0]) is None
    assert weighted_kappa([], []) is None
    with pytest.raises(ValueError):
        weighted_kappa([0, 4], [0, 1])


def test_agreement_figures() -> None:
    a = agreement([2, 3, 0, 1, 2], [0, 3, 0, 3, 2])
    assert a.n == 5
    assert a.exact == pytest.approx(3 / 5)
    assert a.within_one == pytest.approx(3 / 5)
    assert a.bias == pytest.approx((2 + 0 + 0 - 2 + 0) / 5)
    assert a.a_high_where_b_zero == 1  # the first pair: automatic 2 where the jurors gave 0


def test_consensus_is_the_lower_median() -> None:
    assert consensus([1, 2]) == 1  # two graders: the lower of the two
    assert consensus([0, 3, 2]) == 2  # three graders: the median
    assert consensus([3, None, 1, 2]) == 2
    assert consensus([None, None]) is None


# --- the command on the tiny folder -----------------------------------------------------------------------

def run_json(tmp_path: Path, *args: str) -> dict:
    out = tmp_path / "table.json"
    assert main([str(TINY), *args, "--json", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_table_excludes_jury_criteria_and_counts_graded_pairs(tmp_path, capsys) -> None:
    table = run_json(tmp_path, "--part", "all")
    ids = [r["criterion"] for r in table["criteria"]]
    assert "techniques_communication" not in ids  # evaluator: jury
    assert ids[:4] == ["discours_structure", "posture_adaptee", "ecoute_questionnement", "conclusion_suite"]
    assert table["transcripts"] == 6 and table["graders"] == ["J1", "J2"]
    posture = next(r for r in table["criteria"] if r["criterion"] == "posture_adaptee")
    # Graders on posture: J1 3 0 0 1, J2 3 0 1 2 (b2_ack, b2_english, b2_medium, b2_strong sorted by stem:
    # ack 0/1, english 0/0, medium 1/2, strong 3/3) → exact 2/4, within one 4/4.
    assert posture["automatic"]["n"] == 4
    assert posture["graders"]["exact"] == pytest.approx(0.5)
    assert posture["graders"]["within_one"] == pytest.approx(1.0)
    assert posture["graders"]["kappa_w"] == pytest.approx(round(weighted_kappa([0, 0, 1, 3], [1, 0, 2, 3]), 4))
    assert "Grader pairs" in capsys.readouterr().out


def test_parts_split_the_transcripts(tmp_path) -> None:
    assert run_json(tmp_path, "--part", "untouched")["transcripts"] == 3
    assert run_json(tmp_path, "--part", "calibration")["transcripts"] == 3


def test_issue_situations_agree_with_the_graders(tmp_path) -> None:
    """English small talk, bare acknowledgements, a forced solution: never ≥ 2 where both graders gave 0
    (the issue's rule; the table's « auto≥2 & 0 » column counts against the consensus, stricter)."""
    from scoring.report import score_transcript
    from scoring.transcript import Transcript

    table = run_json(tmp_path, "--part", "all")
    assert abs(table["overall"]["bias"]) <= 0.5
    grades = [json.loads(p.read_text(encoding="utf-8"))["grades"] for p in sorted((TINY / "grades").glob("*.json"))]
    checked = 0
    for path in sorted((TINY / "transcripts").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        grid = score_transcript(Transcript.model_validate(
            {k: v for k, v in data.items() if k in Transcript.model_fields})).grid
        for item in grid.items:
            given = [g.get(path.stem, {}).get(item.id) for g in grades]
            if item.level is not None and given and all(level == 0 for level in given):
                checked += 1
                assert item.level < 2, (path.stem, item.id, item.level)
    assert checked >= 8  # the English, acknowledging and forced cases give many such zeros


def test_lenient_thresholds_are_caught(tmp_path) -> None:
    """With thresholds at 0 every uncapped criterion is « Maîtrisé »: the table must show it."""
    rubrics = tmp_path / "rubrics"
    shutil.copytree(FROZEN, rubrics)
    text = (rubrics / "bloc2.yaml").read_text(encoding="utf-8")
    for old in ("[0.3, 0.55, 0.8]", "[0.35, 0.6, 0.8]", "[0.25, 0.5, 0.75]"):
        text = text.replace(old, "[0.0, 0.0, 0.0]")
    (rubrics / "bloc2.yaml").write_text(text, encoding="utf-8")
    table = run_json(tmp_path, "--part", "all", "--rubrics", str(rubrics))
    bloc2 = next(b for b in table["blocs"] if b["bloc"] == 2)
    assert bloc2["automatic"]["a_high_where_b_zero"] > 0
    assert bloc2["automatic"]["bias"] > 0.5


def test_fit_uses_calibration_only_and_writes_back_with_comments(tmp_path) -> None:
    rubrics = tmp_path / "rubrics"
    shutil.copytree(FROZEN, rubrics)
    before = (rubrics / "bloc2.yaml").read_text(encoding="utf-8")
    data = load_graded_set(TINY)
    first = fit_thresholds(data, "calibration", load_rubrics(rubrics), min_n=2)
    again = fit_thresholds(data, "calibration", load_rubrics(rubrics), min_n=2)
    assert [r.model_dump() for r in first] == [r.model_dump() for r in again]  # deterministic
    by_id = {r.criterion: r for r in first}
    assert by_id["posture_adaptee"].n == 2  # b2_strong and b2_english: the untouched ones are not used
    assert "inchangés" in by_id["compte_rendu"].note  # one Bloc 5 calibration transcript < min_n
    assert main(["fit", str(TINY), "--part", "calibration", "--write", "--rubrics", str(rubrics), "--min-n", "2"]) == 0
    after = (rubrics / "bloc2.yaml").read_text(encoding="utf-8")
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert comments and all(line in after for line in comments)
    rubric = load_rubric_file(rubrics / "bloc2.yaml")
    changed = [r for r in first if r.bloc == 2 and r.after != r.before]
    assert changed, "the tiny calibration part moves at least one threshold"
    assert rubric.version == "2.1"
    differing = [a for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert len(differing) == 1 + len(changed)  # the version line and each changed thresholds line, nothing else
    for r in changed:
        assert next(c for c in rubric.criteria if c.id == r.criterion).thresholds == r.after
    assert (rubrics / "bloc5.yaml").read_text(encoding="utf-8") == (FROZEN / "bloc5.yaml").read_text(
        encoding="utf-8")


def test_fit_refuses_the_untouched_part(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["fit", str(TINY), "--part", "untouched"])


def test_publish_only_untouched_and_read_back(tmp_path, capsys, monkeypatch) -> None:
    target = tmp_path / "reliability.json"
    assert main([str(TINY), "--part", "calibration", "--publish", "--publish-to", str(target),
                 "--rubrics", str(FROZEN)]) == 2
    assert "untouched" in capsys.readouterr().err and not target.exists()
    assert main([str(TINY), "--part", "untouched", "--publish", "--publish-to", str(target),
                 "--rubrics", str(FROZEN)]) == 0
    published = json.loads(target.read_text(encoding="utf-8"))
    assert published["part"] == "untouched" and published["transcripts"] == 3
    assert set(published["blocs"]) == {"2", "5"}
    figures = reliability.criterion_reliability(2, "ecoute_questionnement", "2.0", path=str(target))
    assert figures is not None and figures.n == 2
    assert reliability.criterion_reliability(2, "ecoute_questionnement", "1.1", path=str(target)) is None

    from api.services import review

    monkeypatch.setattr(reliability, "RELIABILITY_FILE", target)
    reliability.load_reliability.cache_clear()
    try:
        text = review.reliability_fr(2, "posture_adaptee", "2.0")
        assert text.startswith("fiabilité mesurée : κ 0,") and text.endswith(" sur 2 transcriptions")
        assert review.reliability_fr(2, "posture_adaptee", "1.1") == "fiabilité non mesurée"  # other thresholds
        assert review.reliability_fr(5, "compte_rendu", "2.0") == "fiabilité non mesurée"  # κ undefined (n = 1)
        assert review.reliability_fr(4, "parties_prenantes", "2.0") == "fiabilité non mesurée"
    finally:
        reliability.load_reliability.cache_clear()


def test_bad_folder_exits_2_without_traceback(tmp_path) -> None:
    proc = subprocess.run([sys.executable, "-m", "scoring.validity", str(tmp_path)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.startswith("Erreur : ") and "Traceback" not in proc.stderr


def test_weight_search_is_opt_in_deterministic_and_written_back(tmp_path) -> None:
    from scoring.validity import write_thresholds

    rubrics = tmp_path / "rubrics"
    shutil.copytree(FROZEN, rubrics)
    data = load_graded_set(TINY)
    plain = fit_thresholds(data, "calibration", load_rubrics(rubrics), min_n=2)
    first = fit_thresholds(data, "calibration", load_rubrics(rubrics), min_n=2, weights=True)
    again = fit_thresholds(data, "calibration", load_rubrics(rubrics), min_n=2, weights=True)
    assert [r.model_dump() for r in first] == [r.model_dump() for r in again]
    assert all(r.weights_after == r.weights_before for r in plain)
    for r in first:  # a weight change is kept only for a gain; w_* keep their sum
        assert sum(r.weights_after.values()) == pytest.approx(sum(r.weights_before.values()), abs=0.01)
    posture = next(r for r in plain if r.criterion == "posture_adaptee")
    moved = posture.model_copy(update={"weights_after": {**posture.weights_before, "w_engaged": 0.4,
                                                         "w_style": 0.1}})
    before = (rubrics / "bloc2.yaml").read_text(encoding="utf-8")
    write_thresholds([moved], rubrics)
    rubric = load_rubric_file(rubrics / "bloc2.yaml")
    params = next(c for c in rubric.criteria if c.id == "posture_adaptee").params
    assert params["w_engaged"] == 0.4 and params["w_style"] == 0.1 and rubric.version == "2.1"
    after = (rubrics / "bloc2.yaml").read_text(encoding="utf-8")
    assert [line for line in before.splitlines() if line.lstrip().startswith("#")] == [
        line for line in after.splitlines() if line.lstrip().startswith("#")]


def test_grader_pairs_that_share_no_transcript_are_not_listed(tmp_path, capsys) -> None:
    """Panels of two jurors per batch: a pair that never graded the same transcript has no ceiling to show."""
    folder = tmp_path / "set"
    shutil.copytree(TINY, folder)
    first = json.loads((folder / "grades" / "J1.json").read_text(encoding="utf-8"))
    stems = sorted(first["grades"])
    (folder / "grades" / "J3.json").write_text(json.dumps(
        {"grader": "J3", "grades": {s: first["grades"][s] for s in stems[:1]}}), encoding="utf-8")
    (folder / "grades" / "J4.json").write_text(json.dumps(
        {"grader": "J4", "grades": {s: first["grades"][s] for s in stems[1:2]}}), encoding="utf-8")
    assert main([str(folder), "--part", "all", "--markdown"]) == 0
    out = capsys.readouterr().out
    assert "J3–J4" not in out  # J3 and J4 graded different transcripts
    assert "J1–J2" in out and "n 0," not in out
