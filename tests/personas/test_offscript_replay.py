"""The replay tool of the off-script sets, and the rule it guards: a weak candidate never wins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.offscript_replay import GOOD, INTENTS_FILE, main, replay_set

SETS = sorted(p for p in (Path(__file__).parent / "data" / "offscript").iterdir() if (p / INTENTS_FILE).exists())


@pytest.mark.parametrize("folder", SETS, ids=lambda p: p.name)
def test_every_candidate_turn_of_a_set_has_its_recorded_intent(folder):
    intents = json.loads((folder / INTENTS_FILE).read_text(encoding="utf-8"))["intents"]
    for export in folder.glob("*.json"):
        if "." in export.stem or export.name == INTENTS_FILE:
            continue
        turns = json.loads(export.read_text(encoding="utf-8"))["turns"]
        assert all(t["text"] in intents for t in turns if t["speaker_role"] == "candidate"), export.name


@pytest.mark.parametrize("folder", SETS, ids=lambda p: p.name)
def test_weak_candidates_replayed_never_reach_the_good_outcome(folder):
    replays = replay_set(folder, quality="weak")
    assert replays, "each set holds weak sessions"
    for replay in replays:
        assert replay.turns
        assert replay.outcome not in GOOD[replay.bloc], replay.sid


def test_the_cli_prints_one_line_per_session_and_the_turns_asked_for(capsys):
    folder = SETS[0]
    main([str(folder), "--quality", "weak", "-v", replay_set(folder, quality="weak")[0].sid])
    out = capsys.readouterr().out
    assert out.count(" bloc ") == len(replay_set(folder, quality="weak"))
    assert "  C1 [" in out and "events:" in out
