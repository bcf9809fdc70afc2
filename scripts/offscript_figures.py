"""Figures of an off-script set of role-play sessions: how well the personas listen (issue « Personas that listen »).

Why: the persona's coherence cannot be asserted by unit tests; it is judged by people who see only the
transcripts. A set folder holds, per session ``SID``: the export (``SID.json``, written by
``python -m scripts.roleplay_cli export``), the writer's notes (``SID.notes.json``: quality, the turns that
asked a factual question or carried a specific) and the blind raters' judgements (``SID.R<n>.json``, the
form of ``RATERS.md``). This prints, as JSON: share of persona lines the raters found coherent (mean over
raters) and their agreement (Cohen's κ of the first two raters), factual questions answered (the fact, or
a refusal in character), specifics taken up where relevant, exact repeats within a session (computed),
and the outcomes per bloc and quality (recorded by the engine, and reached in the engine's state).

    .venv/bin/python -m scripts.offscript_figures tests/personas/data/offscript/2026-12-04
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

GOOD = {2: {"follow_up_meeting", "deal"}, 4: {"deal"}, 5: {"agreement"}}


def cohen_kappa(a: list[bool], b: list[bool]) -> float:
    """Cohen's κ of two raters' yes/no judgements (1.0 when chance agreement is total)."""
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pa, pb = sum(a) / n, sum(b) / n
    chance = pa * pb + (1 - pa) * (1 - pb)
    return (observed - chance) / (1 - chance) if chance < 1 else 1.0


def _reached(bloc: int, engine: dict[str, Any]) -> tuple[bool, bool]:
    """(good outcome recorded, agreement reached in the engine's state even if the session was left open)."""
    state = engine.get("state") or {}
    outcome = engine.get("outcome")
    recorded = outcome in GOOD[bloc]
    price_agreed = bloc == 4 and outcome is None and bool((state.get("negotiation") or {}).get("agreed_price"))
    return recorded, recorded or price_agreed or (bloc == 5 and bool(state.get("solution_agreed")))


def figures(folder: Path) -> dict[str, Any]:
    """Every figure of the set in ``folder`` (see the module docstring)."""
    lines = repeats = 0
    outcomes: dict[tuple[int, str], list[tuple[bool, bool]]] = defaultdict(list)
    coherent: list[float] = []
    first: list[bool] = []
    second: list[bool] = []
    facts: list[float] = []
    specifics: list[float] = []
    sessions = sorted(p.stem for p in folder.glob("*.json") if "." not in p.stem)
    for sid in sessions:
        export = json.loads((folder / f"{sid}.json").read_text(encoding="utf-8"))
        notes = json.loads((folder / f"{sid}.notes.json").read_text(encoding="utf-8"))
        seen: set[str] = set()
        for turn in export["turns"]:
            if turn["speaker_role"] != "candidate":
                text = turn["text"].strip()
                lines += 1
                repeats += text in seen
                seen.add(text)
        outcomes[(int(export["bloc"]), str(notes.get("quality")))].append(
            _reached(int(export["bloc"]), export.get("engine") or {}))
        rated = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob(f"{sid}.R*.json"))]
        if not rated:
            continue
        for i in range(len(rated[0]["persona_lines"])):
            votes = [bool(r["persona_lines"][i]["coherent"]) for r in rated]
            coherent.append(sum(votes) / len(votes))
            if len(votes) >= 2:
                first.append(votes[0])
                second.append(votes[1])
        for i in range(len(rated[0]["factual_questions"])):
            answers = [r["factual_questions"][i]["answered"] for r in rated]
            facts.append(sum(a in ("fact", "refused") for a in answers) / len(answers))
        for i in range(len(rated[0]["specifics"])):
            relevant = [r["specifics"][i]["taken_up"] for r in rated if r["specifics"][i]["taken_up"] != "na"]
            if relevant:
                specifics.append(sum(v == "yes" for v in relevant) / len(relevant))

    def share(values: list[float]) -> float:
        return round(sum(values) / len(values), 3) if values else 0.0

    return {
        "sessions": len(sessions), "persona_lines": lines, "exact_repeats_share": round(repeats / max(lines, 1), 3),
        "rated_lines": len(coherent), "coherent_share": share(coherent),
        "raters_kappa_coherent": round(cohen_kappa(first, second), 3) if first else None,
        "factual_questions": len(facts), "facts_answered_share": share(facts),
        "specifics_relevant": len(specifics), "specifics_taken_up_share": share(specifics),
        "good_outcome_recorded": {f"bloc{b}-{q}": f"{sum(x for x, _ in v)}/{len(v)}"
                                  for (b, q), v in sorted(outcomes.items())},
        "agreement_reached_in_engine_state": {f"bloc{b}-{q}": f"{sum(y for _, y in v)}/{len(v)}"
                                              for (b, q), v in sorted(outcomes.items())},
    }


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage : python -m scripts.offscript_figures DOSSIER", file=sys.stderr)
        return 2
    print(json.dumps(figures(Path(args[0])), indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
