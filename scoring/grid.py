"""Criteria grid: each rubric criterion gets a level 0–3, evidence (turn ids + quotes) and a rationale.

Every evaluator turns figures and annotations into a measure between 0 and 1; the rubric's three
thresholds turn the measure into a level. A criterion the transcript cannot show returns no
measure: its level is null, « à évaluer par le jury ».
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import BaseModel, Field

from scoring.annotate import TurnAnnotation
from scoring.conversation import ConversationFigures
from scoring.rubric import EVALUATOR_DEFAULTS, Criterion, Rubric
from scoring.transcript import Transcript

JURY_LABEL = "À évaluer par le jury"


class Evidence(BaseModel):
    """A quoted turn supporting (or contradicting) the level."""

    turn_id: str
    quote: str
    note: str = ""


class GridItem(BaseModel):
    """One criterion's result."""

    id: str
    label: str
    source: str = ""
    level: int | None
    level_label: str
    measure: float | None = None
    weight: float = 1.0
    evidence: list[Evidence] = Field(default_factory=list)
    rationale: str


class Grid(BaseModel):
    """The bloc's grid with a weighted overall level on the criteria that could be measured."""

    bloc: int
    rubric_version: str
    title: str
    items: list[GridItem]
    overall: float | None = None
    evaluated: int = 0
    for_jury: int = 0


@dataclass
class Measure:
    """What an evaluator found: a value in [0, 1] (None: not measurable), evidence, reasons."""

    value: float | None
    evidence: list[Evidence] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


@dataclass
class Inputs:
    """Everything an evaluator may read."""

    transcript: Transcript
    annotations: list[TurnAnnotation]
    figures: ConversationFigures

    def text_of(self, turn_id: str) -> str:
        for t in self.transcript.turns:
            if t.id == turn_id:
                return t.text
        return ""


def _quote(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _ev(inp: Inputs, turn_id: str | int, note: str = "", quote: str | None = None) -> Evidence:
    return Evidence(turn_id=str(turn_id), quote=_quote(quote or inp.text_of(str(turn_id))), note=note)


def _pct(x: float) -> str:
    return f"{round(100 * x)} %"


Settings = dict[str, float]


def eval_listening(inp: Inputs, p: Settings) -> Measure:
    """Questions (how many, how open), reformulations, and leaving room to the other."""
    f = inp.figures
    target_q = max(p["min_questions"], p["questions_per_turn"] * f.candidate_turns)
    q = min(1.0, f.questions / target_q)
    open_s = min(1.0, (f.open_question_share or 0.0) / p["open_share_target"])
    ref = min(1.0, f.reformulations / p["reformulations_target"])
    over = f.talk_share_words - p["max_talk_share"]
    balance = 1.0 if over <= 0 else max(0.0, 1 - over / 0.25)
    value = p["w_questions"] * q + p["w_open"] * open_s + p["w_reformulations"] * ref + p["w_balance"] * balance
    precise = sum(1 for a in inp.annotations if a.question_subtype == "precise")
    reasons = [f"{f.questions} question(s) dont {f.open_questions} ouverte(s)"
               + (f" et {precise} précise(s) (factuelles, pas un défaut)" if precise else ""),
               f"{f.reformulations} reformulation(s)",
               f"part de parole du candidat {_pct(f.talk_share_words)}"]
    ev = [_ev(inp, a.id, "question ouverte") for a in inp.annotations if a.question_type == "open"][:2]
    ev += [_ev(inp, a.id, "reformulation" + (f" du tour {a.reformulation.target_turn_id}"
                                             if a.reformulation.target_turn_id else ""))
           for a in inp.annotations if a.is_reformulation][:2]
    if not ev:
        ev = [_ev(inp, a.id, "question fermée") for a in inp.annotations if a.is_question][:1]
    return Measure(value, ev, reasons)


def eval_closing(inp: Inputs, p: Settings) -> Measure:
    """Closing recap present, share of the discussion it covers, next steps with a deadline."""
    c = inp.figures.closing_summary
    cov = min(1.0, (c.coverage or 0.0) / p["coverage_target"])
    steps = 1.0 if c.next_steps else 0.0
    value = (p["w_present"] * float(c.present) + p["w_coverage"] * cov * float(c.present)
             + p["w_next_steps"] * steps + p["w_deadline"] * float(c.has_deadline))
    reasons = ["synthèse finale présente" if c.present else "pas de synthèse finale",
               f"couverture des sujets abordés {_pct(c.coverage)}" if c.coverage is not None else "",
               f"{len(c.next_steps)} suite(s) à donner" + (" avec échéance" if c.has_deadline else " sans échéance")]
    ev = [_ev(inp, c.turn_id, "synthèse")] if c.turn_id else []
    if c.topics_missed and c.present:
        reasons.append("sujets non repris : " + ", ".join(c.topics_missed[:5]))
    return Measure(value, ev, [r for r in reasons if r])


def eval_structure(inp: Inputs, p: Settings) -> Measure:
    """Stages covered, opening framing, no monologue, turns of reasonable length, offer put forward."""
    f = inp.figures
    stages = len(f.stages) / 5
    framing = 1.0 if any(s["stage"] == "ouverture" for s in f.stages) else 0.0
    mono = 1.0 if f.monologues == 0 else 0.5 if f.monologues == 1 else 0.0
    mean_words = f.candidate_words / max(1, f.candidate_turns)
    lo, hi = p["min_words_per_turn"], p["max_words_per_turn"]
    concise = 1.0 if lo <= mean_words <= hi else 0.5 if mean_words <= hi * 1.7 else 0.0
    offer = 1.0 if any(s["stage"] == "proposition" for s in f.stages) else 0.0
    value = (p["w_stages"] * stages + p["w_framing"] * framing + p["w_no_monologue"] * mono
             + p["w_concise"] * concise + p["w_offer"] * offer)
    reasons = [f"étapes parcourues : {', '.join(s['label'] for s in f.stages) or 'aucune'}",
               f"{round(mean_words)} mots par intervention en moyenne",
               "pas de monologue" if f.monologues == 0 else f"{f.monologues} monologue(s)"]
    ev = [_ev(inp, s["first_turn_id"], s["label"]) for s in f.stages[:4]]
    return Measure(value, ev, reasons)


def _style_share(inp: Inputs) -> tuple[float, list[TurnAnnotation], list[TurnAnnotation]]:
    anns = inp.annotations
    bad = [a for a in anns if a.assertiveness in ("aggressive", "passive")]
    good = [a for a in anns if a.assertiveness == "assertive"]
    return 1 - len(bad) / max(1, len(anns)), bad, good


_STYLE_NOTE = {"aggressive": "ton agressif", "passive": "ton passif"}


def eval_posture(inp: Inputs, p: Settings) -> Measure:
    """No aggressive or passive turns, courtesy, balanced talk, and adapting to what the other says."""
    f = inp.figures
    share, bad, good = _style_share(inp)
    polite = 1.0 if f.politeness_markers > 0 else 0.0
    in_range = p["min_talk_share"] <= f.talk_share_words <= p["max_talk_share"]
    balance = 1.0 if in_range else 0.5 if f.talk_share_words <= 0.8 else 0.0
    adapt = min(1.0, float(f.reformulations))
    value = (p["w_style"] * share + p["w_politeness"] * polite + p["w_balance"] * balance
             + p["w_adaptation"] * adapt)
    reasons = [f"{len(bad)} intervention(s) agressive(s) ou passive(s) sur {len(inp.annotations)}",
               f"{f.politeness_markers} marque(s) de politesse",
               f"part de parole {_pct(f.talk_share_words)}"]
    ev = [_ev(inp, a.id, _STYLE_NOTE[a.assertiveness]) for a in bad[:2]]
    ev += [_ev(inp, a.id, "ton assertif") for a in good[:2]]
    return Measure(value, ev, reasons)


def eval_assertiveness(inp: Inputs, p: Settings) -> Measure:
    """Bloc 5: listening, assertive « je » messages and DESC steps, no aggressive/passive turns."""
    share, bad, good = _style_share(inp)
    desc = sum(1 for a in inp.annotations for m in a.markers if m.family.startswith(("desc_", "assertive_")))
    listening = eval_listening(inp, _defaults("listening"))
    value = (p["w_style"] * share + p["w_desc"] * min(1.0, desc / p["desc_target"])
             + p["w_listening"] * (listening.value or 0.0))
    reasons = [f"{len(good)} intervention(s) assertive(s), {len(bad)} agressive(s) ou passive(s)",
               f"{desc} marqueur(s) de message « je » / étapes DESC", *listening.reasons[:2]]
    ev = [_ev(inp, a.id, "message assertif") for a in good[:2]]
    ev += [_ev(inp, a.id, _STYLE_NOTE[a.assertiveness]) for a in bad[:2]]
    return Measure(value, ev + listening.evidence[:1], reasons)


def eval_negotiation_plan(inp: Inputs, p: Settings) -> Measure:
    """Key stages (découverte, proposition, négociation, conclusion) reached, in that order."""
    wanted = ["decouverte", "proposition", "negociation", "conclusion"]
    order = {t.id: i for i, t in enumerate(inp.transcript.turns)}
    firsts = {s["stage"]: order.get(s["first_turn_id"], 0) for s in inp.figures.stages}
    seq = [firsts[s] for s in wanted if s in firsts]
    in_order = sum(1 for a, b in itertools.pairwise(seq) if b >= a) + (1 if seq else 0)
    value = p["w_stages"] * len(seq) / 4 + p["w_order"] * in_order / 4
    labels = [s["label"] for s in inp.figures.stages if s["stage"] in wanted]
    reasons = [f"étapes clés observées : {', '.join(labels) or 'aucune'}",
               "dans l'ordre attendu" if in_order == len(seq) and seq else "ordre des étapes à revoir"]
    ev = [_ev(inp, s["first_turn_id"], s["label"]) for s in inp.figures.stages if s["stage"] in wanted]
    return Measure(value, ev, reasons)


def eval_negotiation_thresholds(inp: Inputs, p: Settings) -> Measure:
    """Price path: announced price, concessions traded against counterparts, final vs the floor."""
    n = inp.figures.negotiation
    if not n.candidate_prices and not n.other_prices:
        return Measure(None, [], ["aucun prix échangé : l'argumentation des seuils relève du jury"])
    announced = 1.0 if n.candidate_prices else 0.0
    traded = 1.0 if n.concessions_candidate == 0 else min(1.0, n.counterparts_asked / n.concessions_candidate)
    disc = n.discount_from_opening
    limited = 1.0 if disc is None or disc <= p["max_discount"] else (0.5 if disc <= 2 * p["max_discount"] else 0.0)
    final = 0.5 if n.position is None else (0.0 if n.position.startswith("sous") else 1.0)
    value = (p["w_announced"] * announced + p["w_traded"] * traded + p["w_limited"] * limited
             + p["w_final"] * final)
    reasons = [f"prix d'ouverture du candidat : {n.candidate_opening:g} {n.unit_label}" if n.candidate_opening
               else "le candidat n'annonce pas de prix",
               f"{n.concessions_candidate} concession(s) du candidat, "
               f"{n.counterparts_asked} contrepartie(s) demandée(s)",
               f"prix final {n.final_price:g} {n.unit_label}" + (f" ({n.position})" if n.position else "")
               if n.final_price is not None else "pas de prix final"]
    if inp.transcript.negotiation is None:
        reasons.append("seuils du persona inconnus : position du prix final non évaluée")
    ev = [_ev(inp, a.id, _MOVE_NOTE[m.move]) for a in inp.annotations for m in a.negotiation
          if m.move in _MOVE_NOTE][:3]
    return Measure(value, ev, reasons)


_MOVE_NOTE = {"offer": "offre", "concession": "concession", "counterpart": "contrepartie demandée",
              "firm": "position ferme"}


def eval_stakeholders(inp: Inputs, p: Settings) -> Measure:
    """Questions or statements about decision makers and the decision process."""
    hits = [a for a in inp.annotations
            if a.stakeholder_question or any(m.family == "stakeholder" for m in a.markers)]
    asked = [a for a in hits if a.is_question]
    value = min(1.0, (len(hits) + len(asked)) / p["mentions_target"])
    reasons = [f"{len(hits)} intervention(s) sur les décideurs / le processus de décision, "
               f"dont {len(asked)} question(s)"]
    return Measure(value, [_ev(inp, a.id, "acteurs de la décision") for a in hits[:3]], reasons)


_FRAME = {"frame_context": "contexte", "frame_objective": "objectifs", "frame_agenda": "déroulement",
          "frame_means": "moyens", "frame_results": "résultats attendus"}


def eval_context_presentation(inp: Inputs, p: Settings) -> Measure:
    """Context, objectives, agenda, means and expected results stated in the first candidate turns."""
    first = inp.annotations[: int(p["first_turns"])]
    found: dict[str, str] = {}
    for a in first:
        for m in a.markers:
            if m.family in _FRAME:
                found.setdefault(m.family, str(a.id))
    value = len(found) / len(_FRAME)
    missing = [v for k, v in _FRAME.items() if k not in found]
    reasons = [f"éléments présentés : {', '.join(_FRAME[k] for k in found) or 'aucun'}"]
    if missing:
        reasons.append("absents : " + ", ".join(missing))
    ev = [_ev(inp, t, _FRAME[k]) for k, t in found.items()][:3]
    return Measure(value, ev, reasons)


def _defaults(evaluator: str) -> Settings:
    return dict(EVALUATOR_DEFAULTS[evaluator])


EVALUATORS: dict[str, Callable[[Inputs, Settings], Measure]] = {
    "listening": eval_listening,
    "closing": eval_closing,
    "structure": eval_structure,
    "posture": eval_posture,
    "assertiveness": eval_assertiveness,
    "negotiation_plan": eval_negotiation_plan,
    "negotiation_thresholds": eval_negotiation_thresholds,
    "stakeholders": eval_stakeholders,
    "context_presentation": eval_context_presentation,
}


def _item(c: Criterion, rubric: Rubric, inp: Inputs) -> GridItem:
    if c.evaluator == "jury":
        return GridItem(id=c.id, label=c.label, source=c.source, level=None, level_label=JURY_LABEL,
                        weight=c.weight, rationale=c.jury_note or "Non observable dans une transcription.")
    if inp.figures.candidate_turns < c.min_candidate_turns:
        return GridItem(id=c.id, label=c.label, source=c.source, level=None, level_label=JURY_LABEL,
                        weight=c.weight,
                        rationale=f"Trop peu d'interventions du candidat ({inp.figures.candidate_turns}) "
                                  "pour conclure.")
    m = EVALUATORS[c.evaluator](inp, c.settings())
    if m.value is None:
        return GridItem(id=c.id, label=c.label, source=c.source, level=None, level_label=JURY_LABEL,
                        weight=c.weight, evidence=m.evidence, rationale=_sentence(m.reasons))
    value = round(max(0.0, min(1.0, m.value)), 3)
    level = sum(1 for t in c.thresholds if value >= t)
    return GridItem(id=c.id, label=c.label, source=c.source, level=level, level_label=rubric.levels[level],
                    measure=value, weight=c.weight, evidence=m.evidence, rationale=_sentence(m.reasons))


def _sentence(reasons: list[str]) -> str:
    text = " ; ".join(r for r in reasons if r)
    return (text[:1].upper() + text[1:] + ".") if text else ""


def evaluate_grid(rubric: Rubric, transcript: Transcript, annotations: list[TurnAnnotation],
                  figures: ConversationFigures) -> Grid:
    """Evaluate every criterion of ``rubric``; the overall level is the weighted mean of measured ones."""
    inp = Inputs(transcript, annotations, figures)
    items = [_item(c, rubric, inp) for c in rubric.criteria]
    measured = [i for i in items if i.level is not None]
    total_w = sum(i.weight for i in measured)
    overall = round(sum(i.weight * (i.level or 0) for i in measured) / total_w, 2) if total_w else None
    return Grid(bloc=rubric.bloc, rubric_version=rubric.version, title=rubric.title, items=items,
                overall=overall, evaluated=len(measured), for_jury=len(items) - len(measured))
