"""Listening figures of an off-script set replayed on this tree's engine (development figures).

Why: the writers' reports name persona lines that contradict the record (a complaint of no question
after several, a side-taking reaction to a question, the wrong Bloc 5 member answering); counting them on
a replay, before and after a change, says whether a fix holds on sessions written by others.

    .venv/bin/python -m scripts.offscript_listening SET_FOLDER
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path

from personas.loader import load_library
from scripts.offscript_replay import replay_set

# Persona lines that claim something about the whole session (no question asked, a date proposed).
SESSION_CLAIM = re.compile(r"rien demandé|toujours pas entendu|avant d'avoir écouté|comme vous dites|comme tu dis"
                           r"|date prévue", re.IGNORECASE)


def figures(folder: Path) -> dict[str, object]:
    """Counts over every replayed session of ``folder`` (exports, notes and ``nlu_intents.json``)."""
    lib = load_library()
    repeats = total = claims = blame_questions = other_member = 0
    outcomes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for replay in replay_set(folder):
        export = json.loads((folder / f"{replay.sid}.json").read_text(encoding="utf-8"))
        readings = [t.get("reading") or {} for t in export["turns"] if t["speaker_role"] == "candidate"]
        ids = {s.name: s.id for s in lib[replay.persona_id].speakers}
        seen: set[str] = set()
        asked = 0
        for turn, reading in zip(replay.turns, readings, strict=False):
            for line in turn["lines"]:
                text = line.split(": ", 1)[1]
                total += 1
                repeats += text in seen
                seen.add(text)
                claims += bool(asked and SESSION_CLAIM.search(text))
            asked += "?" in turn["text"]
            events = " ".join(turn["events"])
            blamed = (reading.get("stance") or {}).get("blames")
            addressee = reading.get("addressee") or []
            if reading.get("is_question") and ("taking_sides" in events or "side_taken" in events) \
                    and addressee == [blamed]:
                blame_questions += 1
            speakers = [ids.get(line.split(": ", 1)[0]) for line in turn["lines"]]
            if replay.bloc == 5 and len(addressee) == 1 and speakers and speakers[0] != addressee[0]:
                other_member += 1
        key = f"bloc {replay.bloc} {replay.quality}"
        outcomes[key][0] += replay.good
        outcomes[key][1] += 1
    return {
        "repeated_lines": f"{repeats}/{total}",
        "session_claims_after_a_question": claims,
        "side_taking_on_a_question_to_the_blamed_member": blame_questions,
        "bloc5_answered_first_by_the_other_member": other_member,
        "good_outcomes": {k: f"{g}/{n}" for k, (g, n) in sorted(outcomes.items())},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    print(json.dumps(figures(args.folder), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
