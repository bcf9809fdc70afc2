"""Throughput of ``annotate_turns`` vs the raw ``nlp.pipe`` of the same pipeline.

Usage: ``python bench/annotate_bench.py [N]`` (default 5000 synthetic turns, half French half English,
generated here from templates: no evaluation data is read).
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scoring.annotate import annotate_turns
from scoring.pipeline import get_nlp

FR = ["Parlez-moi de vos priorités pour {x}.", "Est-ce que {x} pose problème aujourd'hui ?",
      "Si je comprends bien, {x} vous coûte du temps.", "Je vous propose un essai sur {x} à 4 000 € HT.",
      "Pour résumer, nous démarrons {x} ; je vous envoie le planning d'ici vendredi.",
      "Euh, désolé, peut-être que {x} n'est pas le sujet."]
EN = ["Tell me about {x}.", "Do you think {x} is a problem right now?", "So you feel {x} takes too long.",
      "I'd like to suggest a trial on {x}.", "To sum up, we start {x}; I'll send the plan by Friday."]
TOPICS = ["la logistique", "le recrutement", "les relances clients", "the onboarding", "the delivery delays",
          "the pricing", "la formation", "le reporting"]


def make_items(n: int) -> list[dict]:
    rnd = random.Random(7)
    items = []
    for i in range(n):
        lang = "fr" if i % 2 == 0 else "en"
        text = rnd.choice(FR if lang == "fr" else EN).format(x=rnd.choice(TOPICS))
        ctx = [{"speaker": "other", "text": rnd.choice(FR if lang == "fr" else EN).format(x=rnd.choice(TOPICS))}]
        items.append({"id": i, "lang": lang, "text": f"{text} ({i})", "context": ctx})
    return items


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    items = make_items(n)
    t0 = time.perf_counter()
    for lang in ("fr", "en"):
        get_nlp(lang)
    print(f"model load: {time.perf_counter() - t0:.2f} s")
    annotate_turns(items[:20])  # warm-up
    for lang in ("fr", "en"):
        texts = [it["text"] for it in items if it["lang"] == lang]
        t0 = time.perf_counter()
        for _ in get_nlp(lang).pipe(texts, batch_size=64):
            pass
        dt = time.perf_counter() - t0
        print(f"raw nlp.pipe of the scoring pipeline [{lang}]: {len(texts) / dt:,.0f} utterances/s")
    t0 = time.perf_counter()
    annotate_turns(items)
    dt = time.perf_counter() - t0
    print(f"annotate_turns (fr+en, with context): {n} utterances in {dt:.2f} s = {n / dt:,.0f} utterances/s")
    single = [{"id": "one", "lang": "fr", "text": "Qu'est-ce qui vous freine aujourd'hui dans ce projet ?",
               "context": [{"speaker": "other", "text": "Le budget est serré cette année."}]}]
    runs = []
    for _ in range(30):
        t0 = time.perf_counter()
        annotate_turns(single)
        runs.append((time.perf_counter() - t0) * 1000)
    runs.sort()
    print(f"warm single turn latency: median {runs[len(runs) // 2]:.1f} ms, p90 {runs[int(len(runs) * 0.9)]:.1f} ms")


if __name__ == "__main__":
    main()
