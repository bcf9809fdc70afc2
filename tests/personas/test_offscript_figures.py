"""The off-script figures (coherence, facts, specifics, repeats, outcomes) from a hand-built set."""

from __future__ import annotations

import json
from pathlib import Path

from scripts.offscript_figures import cohen_kappa, figures, main


def _write(folder: Path, name: str, data: dict) -> None:
    (folder / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_figures_of_a_small_rated_set(tmp_path: Path) -> None:
    turns = [{"speaker_role": "persona", "text": "Bonjour."}, {"speaker_role": "candidate", "text": "Combien ?"},
             {"speaker_role": "persona", "text": "Quatre-vingts."}, {"speaker_role": "candidate", "text": "Et ?"},
             {"speaker_role": "persona", "text": "Quatre-vingts."}]
    _write(tmp_path, "S-01.json", {"bloc": 4, "turns": turns, "engine": {"outcome": "deal", "state": {}}})
    _write(tmp_path, "S-01.notes.json", {"quality": "strong"})
    form = {"persona_lines": [{"coherent": True}, {"coherent": True}, {"coherent": False}],
            "factual_questions": [{"answered": "fact"}], "specifics": [{"taken_up": "no"}, {"taken_up": "na"}]}
    other = {"persona_lines": [{"coherent": True}, {"coherent": True}, {"coherent": True}],
             "factual_questions": [{"answered": "no"}], "specifics": [{"taken_up": "yes"}, {"taken_up": "na"}]}
    _write(tmp_path, "S-01.R1.json", form)
    _write(tmp_path, "S-01.R2.json", other)
    result = figures(tmp_path)
    assert result["persona_lines"] == 3 and result["exact_repeats_share"] == round(1 / 3, 3)
    assert result["coherent_share"] == round((1 + 1 + 0.5) / 3, 3)
    assert result["facts_answered_share"] == 0.5 and result["specifics_taken_up_share"] == 0.5
    assert result["good_outcome_recorded"] == {"bloc4-strong": "1/1"}


def test_kappa_and_usage() -> None:
    assert cohen_kappa([True, False, True, False], [True, False, True, False]) == 1.0
    assert cohen_kappa([True, True, False, False], [True, False, True, False]) == 0.0
    assert main(["/nonexistent-folder"]) == 2
