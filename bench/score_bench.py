"""Warm latency of ``score_transcript`` on a 40-turn French transcript (target < 500 ms).

Every turn text is distinct so no work is shared between turns.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scoring.report import score_transcript
from scoring.transcript import Transcript, Turn

CANDIDATE = ["Bonjour, merci de me recevoir. L'objectif est de comprendre vos besoins.",
             "Parlez-moi de votre organisation commerciale actuelle.",
             "Si je comprends bien, vos équipes passent trop de temps sur les relances ?",
             "Quelles conséquences cela a-t-il sur votre chiffre d'affaires ?",
             "Je vous propose notre module de relance automatique à 12 000 € HT par an.",
             "Je peux faire 11 000 € à condition que vous vous engagiez sur deux ans.",
             "Pour résumer, nous avons convenu d'un pilote ; je vous envoie le contrat d'ici vendredi."]
PERSONA = ["Bonjour.", "Nous avons huit commerciaux et un fichier Excel partagé.",
           "Oui, les relances prennent une journée par semaine.", "On perd sans doute des affaires.",
           "C'est un peu cher pour nous.", "Deux ans, pourquoi pas.", "Très bien."]


def transcript(n: int = 40) -> Transcript:
    turns = []
    for i in range(n):
        cand = i % 2 == 0
        pool = CANDIDATE if cand else PERSONA
        turns.append(Turn(id=f"t{i + 1}", speaker_role="candidate" if cand else "persona",
                          speaker_name="Candidat" if cand else "Client",
                          text=f"{pool[(i // 2) % len(pool)]} (point {i + 1})"))
    return Transcript(bloc=4, language="fr", turns=turns)


def main() -> None:
    tr = transcript()
    t0 = time.perf_counter()
    score_transcript(tr)
    print(f"cold (model load + first score): {(time.perf_counter() - t0) * 1000:.0f} ms")
    runs = []
    for _ in range(10):
        t0 = time.perf_counter()
        score_transcript(tr)
        runs.append((time.perf_counter() - t0) * 1000)
    runs.sort()
    print(f"warm score_transcript, 40 turns: median {runs[len(runs) // 2]:.0f} ms, max {runs[-1]:.0f} ms")


if __name__ == "__main__":
    main()
