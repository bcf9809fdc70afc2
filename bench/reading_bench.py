"""Time to read one candidate turn, warm, as the action server does (one turn per call, with the
persona's speakers and topics and the ``READING_CONTEXT_TURNS`` turns before it).

Usage: ``.venv/bin/python bench/reading_bench.py`` — replays the candidate turns of the development
conversations (tests/scoring/data/conversations/dev_*.jsonl) and prints p50/p95/max in ms, the
process's resident memory, and how often each optional part ran (dates, restatement checks).
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from personas.loader import load_library
from personas.reading_inputs import speaker_refs, topic_refs
from scoring.annotate import annotate_turns
from scoring.eval_readings import load_conversations, reading_inputs

DATA = Path(__file__).resolve().parents[1] / "tests" / "scoring" / "data" / "conversations"


def main() -> None:
    library = load_library()
    convs = load_conversations(sorted(DATA.glob("dev_*.jsonl")))
    items = []
    for conv in convs:
        persona = library.get(conv["persona"])
        turn_items, _ = reading_inputs(conv)
        for item in turn_items:
            if persona is not None:
                item["speakers"], item["topics"] = speaker_refs(persona), topic_refs(persona)
            items.append(item)
    annotate_turns(items[:5])  # warm: models loaded, caches filled
    times = []
    readings = []
    for item in items:
        start = time.perf_counter()
        readings.append(annotate_turns([item])[0])
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"turns read one at a time: {len(times)}")
    print(f"per turn (ms): p50 {statistics.median(times):.1f}  p95 {times[int(0.95 * len(times))]:.1f}  "
          f"max {times[-1]:.1f}  mean {statistics.fmean(times):.1f}")
    print(f"restatements checked: {sum(r.reformulation_accuracy is not None for r in readings)}; "
          f"turns with dates: {sum(bool(r.dates) for r in readings)}; "
          f"turns with amounts: {sum(bool(r.amounts) for r in readings)}")
    print(f"peak resident memory of the process: {rss:.0f} MB")


if __name__ == "__main__":
    main()
