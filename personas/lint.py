"""``python -m personas lint``: play the scripted candidates and look for design flaws.

Schema validity is not enough for a good exercise: a persona whose weak candidate succeeds, or
whose strong candidate cannot, teaches the wrong lesson. Warnings are French sentences, one per line.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from personas.engine.negotiation import position
from personas.engine.reading import is_function_word
from personas.engine.thresholds import extreme_thresholds, with_thresholds
from personas.intents import QUESTION_INTENTS
from personas.schema import OUTCOME_LABELS, SUCCESS_OUTCOMES, Persona
from personas.scripts import Transcript, load_scripts, run_script
from personas.situations import SITUATIONS

MAX_REPEATS = 2
# Situations said at most once per session: one variant is enough.
ONCE_SITUATIONS = frozenset(
    {"opening", "timeout", "closing_open_objection", "walk_out", "no_deal", "goodbye", "success"}
)
REACHABLE_TRUST = 0.95
# A situation that can recur needs this many variants, or the persona repeats itself within a session.
MIN_VARIANTS = 3


def _too_few(count: int) -> str:
    if count == 1:
        return "une seule variante, elle sera répétée (il en faut au moins 3)"
    return f"{count} variantes seulement, elles seront répétées (il en faut au moins {MIN_VARIANTS})"


def lint_persona(persona: Persona, scripts_dir: Path | None = None) -> list[str]:
    """All warnings for one valid persona (empty when nothing looks wrong)."""
    warnings: list[str] = []
    warnings += _static(persona)
    scripts = load_scripts(persona.id, scripts_dir)
    if scripts is None:
        warnings.append("aucun script de candidat fort/faible (personas/scripts/<id>.yaml) : comportement non vérifié")
        return warnings
    goal = persona.end_conditions.success_outcome
    runs: list[Transcript] = []
    for with_signals in (False, True):
        mode = "avec analyse" if with_signals else "intention seule"
        strong = run_script(persona, scripts.strong, with_signals=with_signals)
        weak = run_script(persona, scripts.weak, with_signals=with_signals)
        runs += [strong, weak]
        if strong.outcome != goal:
            warnings.append(f"le candidat fort n'atteint pas « {_outcome(goal)} » ({mode}) : {_why(strong)}")
        if weak.outcome in SUCCESS_OUTCOMES:
            warnings.append(f"le candidat faible réussit ({mode}) : issue « {_outcome(weak.outcome)} »")
        if with_signals:
            continue
        revealed = set(strong.state.get("revealed_needs", []))
        for need in persona.needs:
            if need.essential and need.id not in revealed:
                warnings.append(f"needs.{need.id}: jamais révélé par le candidat fort")
    warnings += _repeats(runs)
    missing = sorted({e.split(":")[-1] for run in runs for e in run.state.get("events", []) if ":missing_line:" in e})
    warnings += [f"lines.{situation}: situation atteinte sans aucune réplique" for situation in missing]
    return warnings


def _outcome(code: str | None) -> str:
    return OUTCOME_LABELS.get(code or "", code or "aucune")


def _why(run: Transcript) -> str:
    """Why a scripted run missed the goal, in words a trainer can act on (never « issue None »)."""
    if run.outcome is not None:
        return f"issue « {_outcome(run.outcome)} » au tour {len(run.turns)}"
    state = run.state
    figures = []
    for key, word in (("trust", "confiance"), ("tension", "tension")):
        if isinstance(state.get(key), int | float):
            figures.append(f"{word} {state[key]:.2f}".replace(".", ","))
    stage = state.get("stage")
    where = f", étape « {stage} »" if stage else ""
    numbers = f" ({', '.join(figures)}{where})" if figures or where else ""
    return (f"la conversation s'arrête sans issue après les {len(run.turns)} tours du script{numbers} : "
            "le persona n'a ni conclu ni rompu ; vérifiez les conditions de fin (end_conditions) et les seuils "
            "de confiance des besoins, ou allongez le script")


def _static(p: Persona) -> list[str]:
    warnings: list[str] = []
    askable = set(QUESTION_INTENTS) | ({"invite_to_speak"} if p.bloc == 5 else set())
    for i, need in enumerate(p.needs):
        if not askable & set(need.topics) and not need.keywords:
            warnings.append(f"needs.{i}.topics: aucune question ouverte ne peut révéler « {need.id} »")
        if need.min_trust > REACHABLE_TRUST:
            warnings.append(f"needs.{i}.min_trust: seuil de confiance pratiquement inatteignable")
    for group, items in (("needs", p.needs), ("facts", p.facts), ("objections", p.objections)):
        for i, item in enumerate(items):
            for attr in ("keywords", "resolution_keywords"):
                for word in getattr(item, attr, None) or []:
                    if is_function_word(word):
                        warnings.append(f"{group}.{i}.{attr}: « {word.strip()} » est un mot outil, ignoré par le "
                                        "persona (préférer « qui d'autre », « qui décide »…)")
    if p.needs and all(n.min_trust <= p.personality.initial_trust for n in p.needs):
        warnings.append("personality.initial_trust: tous les besoins sont révélés sans effort de questionnement")
    if p.negotiation is not None:
        warnings += _negotiation_warnings(p)
    for key, by_speaker in p.lines.items():
        if key in ONCE_SITUATIONS:
            continue
        situation = SITUATIONS.get(key)
        if situation is not None and situation.every_speaker:
            for speaker, variants in by_speaker.items():
                if len(variants) < MIN_VARIANTS:
                    warnings.append(f"lines.{key}.{speaker}: {_too_few(len(variants))}")
        elif (count := sum(len(v) for v in by_speaker.values())) < MIN_VARIANTS:
            warnings.append(f"lines.{key}: {_too_few(count)}")
    summary_lines = [t for v in p.lines.get("closing_without_summary", {}).values() for t in v]
    if summary_lines and not any("concrètement" in t for t in summary_lines):
        warnings.append("lines.closing_without_summary: aucune variante ne demande « concrètement, on fait quoi ? »")
    return warnings


def _negotiation_warnings(p: Persona) -> list[str]:
    """Every session draw must stay playable: checked at both ends of the trainer's band."""
    assert p.negotiation is not None
    warnings: list[str] = []
    low, high = extreme_thresholds(p.negotiation)
    band = f" (bas de la fourchette de séance, ×{low.factor:.2f})" if p.negotiation.session_band else ""
    n = with_thresholds(p, low).negotiation
    assert n is not None
    if position(n, len(n.concession_pattern)) < n.candidate_floor:
        warnings.append(
            "negotiation.concession_pattern: la meilleure contre-offre reste sous le plancher du candidat"
            f"{band} ; seule l'acceptation au dernier tour permet un bon accord"
        )
    if low.walk_away < n.candidate_floor:
        warnings.append(f"negotiation.session_band: la limite de l'acheteur passe sous le plancher du candidat{band}")
    n = with_thresholds(p, high).negotiation
    assert n is not None
    if n.target >= n.candidate_floor:
        band = f" (haut de la fourchette, ×{high.factor:.2f})" if p.negotiation.session_band else ""
        warnings.append(
            f"negotiation.target: la cible de l'acheteur atteint le plancher du candidat, trop facile{band}"
        )
    return warnings


def _repeats(runs: list[Transcript]) -> list[str]:
    warnings: list[str] = []
    for run in runs:
        counts = Counter(line.text for _, lines in run.turns for line in lines)
        for text, count in counts.items():
            if count > MAX_REPEATS:
                warnings.append(f"réplique répétée {count} fois dans une même partie : « {text[:60]}… »")
    return sorted(set(warnings))
