"""Engine time per candidate turn, in-process (no Rasa, no API): median, p90, p99 and the slowest turns.

Why: the persona engine runs inside the action server on every turn; the goal is under 2 ms per
turn. Replays every candidate turn of the off-script sets (stored readings, recorded NLU intents)
through ``play_turn``, a few rounds, and prints the figures; ``--profile`` prints where the slowest
turns spend their time.

    .venv/bin/python bench/engine_turn_bench.py [--rounds 5] [--profile] [--warm-figures]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SETS = ["tests/personas/data/offscript/2026-12-04", "tests/personas/data/offscript/2026-12-04b"]


def sessions(root: Path) -> list[tuple[str, Any, int, list[Any]]]:
    """Every session of the sets as (sid, persona, seed, candidate turns)."""
    from personas.engine import CandidateTurn, TurnSignals
    from personas.loader import load_library

    library = load_library()
    out = []
    for name in SETS:
        folder = root / name
        intents = json.loads((folder / "nlu_intents.json").read_text(encoding="utf-8"))["intents"]
        for path in sorted(folder.glob("*.json")):
            if "." in path.stem or path.name == "nlu_intents.json":
                continue
            export = json.loads(path.read_text(encoding="utf-8"))
            turns = []
            for t in export["turns"]:
                if t["speaker_role"] != "candidate":
                    continue
                nlu = intents.get(t["text"], {"intent": "nlu_fallback", "confidence": 0.0})
                signals = TurnSignals.model_validate(t["reading"]) if t.get("reading") else None
                turns.append(CandidateTurn(text=t["text"], intent=nlu["intent"], confidence=nlu["confidence"],
                                           analysis=signals))
            out.append((path.stem, library[export["persona_id"]], int(export["engine"]["seed"]), turns))
    return out


def cold_caches() -> None:
    """Forget the per-text caches, so every round reads its turns as new text (as the live stack does)."""
    from personas.engine import reading

    reading.quantities_in.cache_clear()
    reading.fold.cache_clear()


def play(session: tuple[str, Any, int, list[Any]], timings: list[tuple[float, str, int]]) -> None:
    from personas.engine import play_turn

    sid, persona, seed, turns = session
    state = None
    for i, turn in enumerate(turns, 1):
        start = time.perf_counter()
        result = play_turn(persona, state, turn, seed)
        timings.append(((time.perf_counter() - start) * 1000, sid, i))
        state = result.state
        if result.ended:
            break


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="profile the 5 % slowest turns")
    parser.add_argument("--warm-figures", action="store_true",
                        help="keep the figures of each text between rounds: the engine's own time, without "
                             "scoring.numbers' extraction (what it would cost if the extraction were shared)")
    args = parser.parse_args(argv)
    data = sessions(Path(__file__).resolve().parent.parent)
    timings: list[tuple[float, str, int]] = []
    play(data[0], [])  # warm-up: imports, lexicons, caches
    if args.warm_figures:
        for s in data:
            play(s, [])
    for _ in range(args.rounds):
        if not args.warm_figures:
            cold_caches()
        for s in data:
            play(s, timings)
    ms = sorted(t[0] for t in timings)
    q = statistics.quantiles(ms, n=100)
    print(f"{len(data)} sessions x {args.rounds} rounds, {len(ms)} turns")
    print(f"engine ms per turn: median {statistics.median(ms):.2f}  p90 {q[89]:.2f}  p99 {q[98]:.2f}  "
          f"max {ms[-1]:.2f}  mean {statistics.fmean(ms):.2f}")
    slow = sorted(timings, reverse=True)[: max(1, len(timings) // 20)]
    by_turn: dict[tuple[str, int], float] = {}
    for t, sid, i in slow:
        by_turn[(sid, i)] = max(t, by_turn.get((sid, i), 0.0))
    print("slowest turns:", ", ".join(f"{sid} C{i} {t:.1f} ms" for (sid, i), t in list(by_turn.items())[:8]))
    if args.profile:
        cold_caches()
        profiler = cProfile.Profile()
        profiler.enable()
        for s in data:
            play(s, [])
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
