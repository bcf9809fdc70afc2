"""Replay the candidate turns of an off-script set through the persona engine, in-process.

Why: an off-script session shows where a persona failed a candidate; replaying the same candidate
turns (with the readings stored in the export and the intents the trained NLU gives them) shows what
the engine of this working tree would do with them, turn by turn, without a running stack. Replay is
not a new off-script set: the writer's later turns answered the persona lines of the recorded run.

The intents come from ``SET/nlu_intents.json`` (text → intent, confidence), recorded once from the
trained Rasa model (``--record`` in ``.venv-rasa``: see ``record_intents``), so replay needs no Rasa.

    .venv/bin/python -m scripts.offscript_replay tests/personas/data/offscript/2026-12-04 [--quality strong] [-v SID]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts.offscript_figures import GOOD

INTENTS_FILE = "nlu_intents.json"


@dataclass
class Replay:
    """One session replayed: the persona's lines and events per candidate turn, and the outcome."""

    sid: str
    persona_id: str
    bloc: int
    quality: str
    recorded_outcome: str | None
    outcome: str | None = None
    turns: list[dict[str, Any]] = field(default_factory=list)

    @property
    def good(self) -> bool:
        return self.outcome in GOOD[self.bloc]


def replay_session(folder: Path, sid: str, intents: dict[str, dict[str, Any]]) -> Replay:
    """Play the session's candidate turns, in order, until the engine ends it."""
    from personas.engine import CandidateTurn, TurnSignals, play_turn
    from personas.loader import load_library

    export = json.loads((folder / f"{sid}.json").read_text(encoding="utf-8"))
    notes = json.loads((folder / f"{sid}.notes.json").read_text(encoding="utf-8"))
    persona = load_library()[export["persona_id"]]
    seed = int(export["engine"]["seed"])
    replay = Replay(sid=sid, persona_id=persona.id, bloc=persona.bloc, quality=notes.get("quality", "?"),
                    recorded_outcome=export["engine"].get("outcome"))
    state: dict[str, Any] | None = None
    for turn in export["turns"]:
        if turn["speaker_role"] != "candidate":
            continue
        nlu = intents.get(turn["text"], {"intent": "nlu_fallback", "confidence": 0.0})
        signals = TurnSignals.model_validate(turn["reading"]) if turn.get("reading") else None
        candidate = CandidateTurn(text=turn["text"], intent=nlu["intent"], confidence=nlu["confidence"],
                                  analysis=signals)
        before = len(state["events"]) if state else 0
        result = play_turn(persona, state, candidate, seed)
        state = result.state
        lines = [f"{x.speaker}: {x.text}" for x in result.lines]
        replay.turns.append({"text": turn["text"], "intent": nlu["intent"], "confidence": nlu["confidence"],
                             "events": state["events"][before:], "lines": lines})
        if result.ended:
            break
    replay.outcome = state["outcome"] if state else None
    return replay


def replay_set(folder: Path, quality: str | None = None) -> list[Replay]:
    intents = json.loads((folder / INTENTS_FILE).read_text(encoding="utf-8"))["intents"]
    sids = sorted(p.stem for p in folder.glob("*.json") if "." not in p.stem and p.name != INTENTS_FILE)
    out = []
    for sid in sids:
        notes = json.loads((folder / f"{sid}.notes.json").read_text(encoding="utf-8"))
        if quality is None or notes.get("quality") == quality:
            out.append(replay_session(folder, sid, intents))
    return out


def record_intents(folder: Path, model: Path) -> None:  # pragma: no cover - runs in .venv-rasa
    """Parse every candidate turn of the set with the trained model (run with ``.venv-rasa``'s Python)."""
    import asyncio

    from rasa.core.agent import Agent

    texts = sorted({t["text"] for p in folder.glob("*.json") if p.stem.count(".") == 0 and p.name != INTENTS_FILE
                    for t in json.loads(p.read_text(encoding="utf-8"))["turns"] if t["speaker_role"] == "candidate"})

    async def parse() -> dict[str, dict[str, Any]]:
        agent = Agent.load(str(model))
        parsed = {}
        for text in texts:
            p = await agent.parse_message(text)
            parsed[text] = {"intent": p["intent"]["name"], "confidence": round(p["intent"]["confidence"], 3)}
        return parsed

    fingerprint = (model.parent / "fingerprint.txt").read_text().strip()[:16]
    data = {"rasa_model_fingerprint": fingerprint, "intents": asyncio.run(parse())}
    (folder / INTENTS_FILE).write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--quality", default=None, help="strong, average, weak, off-script")
    parser.add_argument("-v", "--verbose", action="append", default=[], help="print this session turn by turn")
    parser.add_argument("--record", type=Path, default=None, help="model archive: record the intents (.venv-rasa)")
    args = parser.parse_args(argv)
    if args.record is not None:
        record_intents(args.folder, args.record)
        return 0
    replays = replay_set(args.folder, args.quality)
    for r in replays:
        mark = "OK " if r.good else "   "
        print(f"{mark}{r.sid} bloc {r.bloc} {r.quality:9} {r.persona_id:32} recorded={r.recorded_outcome} "
              f"replay={r.outcome} ({len(r.turns)} turns)")
        if r.sid in args.verbose:
            for i, t in enumerate(r.turns, 1):
                print(f"  C{i} [{t['intent']} {t['confidence']}] {t['text']}")
                print(f"     events: {t['events']}")
                for line in t["lines"]:
                    print(f"     > {line}")
    by_bloc: dict[int, list[bool]] = {}
    for r in replays:
        by_bloc.setdefault(r.bloc, []).append(r.good)
    print(json.dumps({f"bloc {b}": f"{sum(v)}/{len(v)}" for b, v in sorted(by_bloc.items())}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
