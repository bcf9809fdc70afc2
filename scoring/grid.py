"""Criteria grid: each rubric criterion gets a level 0–3, evidence (turn ids + quotes) and a rationale.

Every evaluator turns what the candidate's turns *achieved* (``scoring.content``: French and on the
subject, questions that obtained information, restatements that are true; ``scoring.agreement``: a
recap that matches what was agreed; ``scoring.stakeholders``; the engine's record of prices and
concessions) into a measure between 0 and 1; the rubric's three thresholds turn it into a level.
Decisive evidence (an insult, a floor crossed, a recap of a refused solution) caps the level, whatever
the measure. No evidence is level 0, never a middle level by default. When the evidence for a level is
thin or contradictory the item says « à confirmer par le jury » with the reason. A criterion the
transcript cannot show returns no measure: its level is null, « à évaluer par le jury ».
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import BaseModel, Field

from scoring.agreement import AgreementCheck, check_agreement
from scoring.annotate import TurnAnnotation
from scoring.content import ContentReading, read_content
from scoring.conversation import ConversationFigures
from scoring.engine_record import NegotiationRecord, negotiation_record, recap_reception
from scoring.lexicon import load_lexicon
from scoring.posture import PostureEvidence, own_price, read_posture
from scoring.rubric import EVALUATOR_DEFAULTS, ContentSettings, Criterion, Rubric
from scoring.stakeholders import PROCESS, find_stakeholders
from scoring.transcript import Transcript

JURY_LABEL = "À évaluer par le jury"
TO_CONFIRM = "À confirmer par le jury"


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
    # The level is proposed, but the evidence for it is thin or contradictory: the juror must decide.
    uncertain: bool = False
    uncertainty_fr: str = ""  # « À confirmer par le jury : … » with the reasons
    capped_by: str = ""  # decisive evidence that caps the level (French), if any, binding or not


class Grid(BaseModel):
    """The bloc's grid with a weighted overall level on the criteria that could be measured."""

    bloc: int
    rubric_version: str
    title: str
    items: list[GridItem]
    overall: float | None = None
    evaluated: int = 0
    for_jury: int = 0
    to_confirm: int = 0  # measured items flagged « à confirmer par le jury »


@dataclass
class Measure:
    """What an evaluator found: a value in [0, 1] (None: not measurable), evidence, reasons; a cap
    (the highest level decisive evidence allows) with its reasons; doubts (thin or contradictory
    evidence); how many turns support the level (None: not counted by turns)."""

    value: float | None
    evidence: list[Evidence] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    cap: int | None = None
    cap_reasons: list[str] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)
    support: int | None = None

    def limit(self, level: float, reason: str) -> None:
        """Keep the lowest cap and every reason for it."""
        cap = int(level)
        self.cap = cap if self.cap is None else min(self.cap, cap)
        self.cap_reasons.append(reason)


@dataclass
class Inputs:
    """Everything an evaluator may read."""

    transcript: Transcript
    annotations: list[TurnAnnotation]
    figures: ConversationFigures
    settings: ContentSettings = field(default_factory=ContentSettings)
    content: ContentReading = field(default_factory=ContentReading)
    agreement: AgreementCheck = field(default_factory=AgreementCheck)
    negotiation: NegotiationRecord | None = None
    posture: PostureEvidence = field(default_factory=PostureEvidence)

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


def _insults(inp: Inputs, m: Measure, p: Settings) -> None:
    """Insults are decisive: one is enough to cap the level (jurors give 0 or 1 whatever else)."""
    hits = [t for t in inp.content.turns if t.insults]
    if hits:
        m.limit(p["insult_cap"], f"propos insultants envers l'interlocuteur (« {hits[0].insults[0]} »)")
        m.evidence[:0] = [_ev(inp, t.turn_id, "propos insultant") for t in hits[:2]]


def _blame_and_force(inp: Inputs, m: Measure, p: Settings) -> None:
    """Blaming a person, or forcing a solution someone refused, caps posture-like criteria."""
    blames = [t for t in inp.content.turns if t.blames]
    if blames:
        m.limit(p["blame_cap"], f"reproche adressé à une personne (« {blames[0].blames[0]} »)")
        m.evidence[:0] = [_ev(inp, t.turn_id, "reproche") for t in blames[:1]]
    a = inp.agreement
    if a.imposed_turns or (a.claims_agreement and a.refused_by):
        who = ", ".join(a.refused_by) or "un membre"
        m.limit(p["imposed_cap"], f"solution imposée malgré le refus de {who}")
        m.evidence[:0] = [_ev(inp, t, "solution imposée") for t in a.imposed_turns[:1]]


def _language_reasons(inp: Inputs) -> list[str]:
    c = inp.content
    out = []
    if english := c.with_("english"):
        out.append(f"{len(english)} intervention(s) en anglais")
    if small := c.with_("small_talk"):
        out.append(f"{len(small)} intervention(s) hors sujet (conversation sans rapport avec l'entretien)")
    if minimal := c.with_("minimal"):
        out.append(f"{len(minimal)} réponse(s) sans contenu (« ok », « d'accord »…)")
    return out


def eval_listening(inp: Inputs, p: Settings) -> Measure:
    """Questions that obtained information and restatements that are true, in French, on the subject.

    A question counts when the persona's answer gave something (an engine reveal, or an answer of some
    length that is not a deflection); a reformulation counts when it is accurate (partial ones for
    ``partial_credit``, inaccurate ones subtract ``inaccurate_penalty``: restating wrongly shows the
    candidate did not listen); the interlocutor's pushback (« vous ne m'écoutez pas ») weighs against;
    off-topic and English turns weigh against by the share of engaged turns.
    """
    c = inp.content
    f = inp.figures
    asked = c.with_("question")
    informative = [t for t in asked if t.informative]
    accurate = [t for t in c.turns if t.reformulation == "accurate"]
    partial = [t for t in c.turns if t.reformulation == "partial"]
    inaccurate = [t for t in c.turns if t.reformulation == "inaccurate"]
    target_q = max(p["min_questions"], p["questions_per_turn"] * len(c.turns))
    # A closed question that obtains a yes or a figure lets the other say less than an open one.
    kinds = {str(a.id): a.question_type for a in inp.annotations}
    credited_q = sum(1.0 if kinds.get(t.turn_id) != "closed" else p["closed_credit"] for t in informative)
    q = min(1.0, credited_q / target_q)
    credited = len(accurate) + p["partial_credit"] * len(partial) - p["inaccurate_penalty"] * len(inaccurate)
    ref = max(0.0, min(1.0, credited / p["reformulations_target"]))
    over = f.talk_share_words - p["max_talk_share"]
    balance = 1.0 if over <= 0 else max(0.0, 1 - over / 0.25)
    reception = 1.0 - min(1.0, c.pushbacks / p["pushback_target"])
    found = bool(informative or accurate or partial)
    value = (p["w_questions"] * q + p["w_reformulations"] * ref
             + (p["w_balance"] * balance + p["w_reception"] * reception) * found) * c.engaged_share
    reasons = [f"{len(informative)} question(s) ayant obtenu une information sur {len(asked)} posée(s)",
               f"{len(accurate)} reformulation(s) exacte(s), {len(partial)} partielle(s), "
               f"{len(inaccurate)} inexacte(s)",
               f"part de parole du candidat {_pct(f.talk_share_words)}",
               f"{c.pushbacks} recadrage(s) de l'interlocuteur" if c.pushbacks else "", *_language_reasons(inp)]
    if not found:
        reasons.insert(0, "aucune question n'a obtenu d'information et aucune reformulation n'est exacte")
    ev = [_ev(inp, t.turn_id, "question qui obtient une information") for t in informative[:2]]
    ev += [_ev(inp, t.turn_id, "reformulation exacte") for t in accurate[:2]]
    ev += [_ev(inp, t.turn_id, "reformulation inexacte") for t in inaccurate[:1]]
    ev += [_ev(inp, t.turn_id, "question sans information obtenue") for t in asked if not t.informative][:1]
    m = Measure(value if found else 0.0, ev, [r for r in reasons if r],
                support=len(informative) + len(accurate) + len(partial))
    if accurate and inaccurate:
        m.doubts.append("reformulations exactes et inexactes dans le même échange")
    _insults(inp, m, p)
    return m


def eval_closing(inp: Inputs, p: Settings) -> Measure:
    """Closing recap present, share of the discussion it covers, next steps with a deadline — and a
    recap that matches what was agreed (a recap of a refused solution or of a price nobody accepted
    counts against)."""
    c = inp.figures.closing_summary
    recap_english = any(t.english for t in inp.content.turns if t.turn_id == c.turn_id)
    said = present = c.present and not recap_english
    cov = min(1.0, (c.coverage or 0.0) / p["coverage_target"])
    reception = recap_reception_of(inp) if p["partner_confirmation"] else None
    not_confirmed = said and reception == "thin"
    if not_confirmed:
        # The partner did not confirm the recap: it recaps nothing they agreed to.
        present, cov = False, 0.0
    elif reception == "confirmed" and not present:
        # The partner confirmed a recap the reading did not mark as one (a point-by-point list, a recap
        # by restatement): what the exchange agreed was recapped.
        present, cov = True, 1.0
    steps = 1.0 if c.next_steps else 0.0
    # A recap of an exchange held in English or about football closes nothing: scaled by engaged turns.
    value = (p["w_present"] * float(present) + p["w_coverage"] * cov * float(present)
             + p["w_next_steps"] * steps + p["w_deadline"] * float(c.has_deadline)) * inp.content.engaged_share
    reasons = ["synthèse finale présente" if present else "pas de synthèse finale en français",
               f"couverture des sujets abordés {_pct(c.coverage)}" if c.coverage is not None and present else "",
               f"{len(c.next_steps)} suite(s) à donner" + (" avec échéance" if c.has_deadline else " sans échéance")]
    ev = [_ev(inp, c.turn_id, "synthèse")] if c.turn_id else []
    if c.topics_missed and present:
        reasons.append("sujets non repris : " + ", ".join(c.topics_missed[:5]))
    if not_confirmed:
        reasons[0] = "synthèse finale non confirmée par l'interlocuteur"
    elif reception == "confirmed":
        reasons[0] = "synthèse finale confirmée par l'interlocuteur"
    m = Measure(value, ev, [r for r in reasons if r])
    a = inp.agreement
    if not_confirmed and a.claims_agreement:
        m.limit(p["contradicted_cap"], "la synthèse annonce un accord que l'interlocuteur n'a pas confirmé")
    if said and a.contradicted:
        refused = f"la synthèse présente comme acquise une solution refusée par {', '.join(a.refused_by)}"
        rejected = f"la synthèse est aussitôt contestée par {', '.join(a.recap_refused_by)}"
        what = a.price_mismatch or (refused if a.claims_agreement and a.refused_by else rejected)
        m.limit(p["contradicted_cap"], what)
        m.evidence += [_ev(inp, t, "refus") for t in a.refusal_turns[:1]]
    if a.imposed_turns:
        m.limit(p["imposed_cap"], "décision imposée au lieu d'être construite avec les personnes")
    recap = next((r for r in inp.annotations if c.turn_id and str(r.id) == c.turn_id), None)
    if present and recap is not None and recap.summary_accuracy == "inaccurate":
        # A recap that misquotes the partner's own facts closes nothing, whatever its form.
        m.limit(p["contradicted_cap"], "la synthèse déforme les propos de l'interlocuteur : "
                + " ; ".join(recap.summary_mismatches[:2]))
    unconfirmed = present and a.claims_agreement and not a.refused_by and a.source == "transcript"
    if unconfirmed and inp.transcript.bloc == 5 and not _accepted_in_text(inp):
        m.doubts.append("la synthèse annonce un accord que personne n'a exprimé dans l'échange")
    if present and a.unconfirmed_by:
        m.doubts.append("la synthèse annonce un accord que le moteur n'a pas enregistré pour "
                        + ", ".join(a.unconfirmed_by))
    return m


def recap_reception_of(inp: Inputs) -> str | None:
    """How the partner received the closing recap: the engine's judgement when it heard one (see
    ``scoring.engine_record.recap_reception``); without a record, the partner's answer to the recap
    read from the text — a refusal or a pushback means « not confirmed » (``"thin"``); else None."""
    heard = recap_reception(inp.transcript)
    if heard is not None or inp.transcript.engine is not None:
        return heard
    c = inp.figures.closing_summary
    if not c.present:
        return None
    turns = inp.transcript.turns
    at = next((k for k, t in enumerate(turns) if t.id == c.turn_id), None)
    if at is None:
        return None
    answer = list(itertools.takewhile(lambda t: t.speaker_role != "candidate", turns[at + 1:]))
    lex = load_lexicon("fr")
    if any(lex.find_cues(t.text, ("grid_refusal", "grid_pushback")) for t in answer):
        return "thin"
    return None


def _accepted_in_text(inp: Inputs) -> bool:
    lex = load_lexicon("fr")
    return any(lex.find_cues(t.text, ("grid_acceptance",)) for t in inp.transcript.turns
               if t.speaker_role != "candidate")


def eval_structure(inp: Inputs, p: Settings) -> Measure:
    """A structured, synthetic talk that puts the offer forward, read from what the exchange did:
    an announced frame (agenda or objective, not a greeting alone), a discovery that obtained
    information *before* the offer was presented, arguments tied to what the client said (statements
    after the discovery that bear on the persona's needs, facts or objections, as the turn reading
    matched them), the offer itself, and a closing synthesis — in French and on the subject (the share
    of engaged turns scales the measure). Jurors do not credit an announced structure that is then
    not followed: pitching before discovering weighs against, whatever the stages reached."""
    f = inp.figures
    c = inp.content
    anns = inp.annotations
    stage_at = {s["stage"]: s["first_turn_id"] for s in f.stages}
    opening = anns[: max(1, int(p["framing_turns"]))]
    announced = any(m.family == "framing" for a in opening for m in a.markers)
    framing = 1.0 if announced else p["greeting_credit"] if "ouverture" in stage_at else 0.0
    # Where the offer was first presented: the engine's or reading's early pitch, else the proposal stage.
    ids = [t.turn_id for t in c.turns]
    priced = next((t.turn_id for a, t in zip(anns, c.turns, strict=True) if own_price(a)), None)
    presented = inp.posture.early_pitch or priced
    cut = ids.index(presented) if presented in ids else len(ids)
    room = max(1.0, p["per_turn"] * len(c.turns))
    before = [t for t in c.turns[:cut] if t.informative and t.engaged]
    # A closed question that obtains a yes lets the client say less than an open one.
    kinds = {str(a.id): a.question_type for a in anns}
    found = sum(1.0 if kinds.get(t.turn_id) != "closed" else p["closed_credit"] for t in before)
    discovery = min(1.0, found / min(p["discovery_target"], room))
    if inp.posture.early_pitch is not None:
        discovery *= 1 - p["early_pitch_penalty"]
    first_found = next((k for k, t in enumerate(c.turns) if t.informative and t.engaged), None)
    tied = [t for k, (a, t) in enumerate(zip(anns, c.turns, strict=True))
            if first_found is not None and k > first_found and t.engaged and not a.is_question and a.topics]
    argued = min(1.0, len(tied) / min(p["tied_target"], room))
    offer = 1.0 if "proposition" in stage_at else 0.0
    cs = f.closing_summary
    # A synthesis the client contradicts (a refused pilot recapped as agreed) synthesises nothing.
    english = any(t.english for t in c.turns if t.turn_id == cs.turn_id)
    synthesis = 1.0 if cs.present and not english and not inp.agreement.contradicted else 0.0
    if p["partner_confirmation"]:
        # Grid 2.4: a synthesis counts for what the client confirmed (see eval_closing).
        reception = recap_reception_of(inp)
        synthesis = 0.0 if reception == "thin" else 1.0 if reception == "confirmed" and not english else synthesis
    mono = 1.0 if f.monologues == 0 else 0.5 if f.monologues == 1 else 0.0
    # Pre-2.3 reading, kept for older rubric files (rubric 2.3 sets both weights to 0): the share of the
    # five stages reached and a mean turn length within bounds.
    stages = len(f.stages) / 5
    mean_words = f.candidate_words / max(1, f.candidate_turns)
    lo, hi = p["min_words_per_turn"], p["max_words_per_turn"]
    concise = 1.0 if lo <= mean_words <= hi else 0.5 if mean_words <= hi * 1.7 else 0.0
    value = (p["w_framing"] * framing + p["w_discovered_first"] * discovery + p["w_tied"] * argued
             + p["w_offer"] * offer + p["w_synthesis"] * synthesis + p["w_no_monologue"] * mono
             + p["w_stages"] * stages + p["w_concise"] * concise) * c.engaged_share
    reasons = ["cadre annoncé (objectif ou déroulé)" if announced else "pas de cadre annoncé",
               f"{len(before)} question(s) ayant obtenu une information avant la présentation de l'offre",
               f"{len(tied)} argument(s) rattaché(s) à un besoin ou un fait exprimé par l'interlocuteur",
               "offre présentée" if offer else "offre non présentée",
               "synthèse finale" if synthesis else "pas de synthèse finale",
               "prix ou offre avancés avant la découverte" if inp.posture.early_pitch else "",
               f"{f.monologues} monologue(s)" if f.monologues else "", *_language_reasons(inp)]
    ev = [_ev(inp, s["first_turn_id"], s["label"]) for s in f.stages[:2]]
    ev += [_ev(inp, t.turn_id, "argument rattaché à un besoin exprimé") for t in tied[:2]]
    m = Measure(value if f.stages else 0.0, ev, [r for r in reasons if r],
                support=len(before) + len(tied) + int(announced) + int(synthesis))
    if 2 * room < max(p["discovery_target"], p["tied_target"]):
        m.doubts.append("échange court")
    return m


def _style_share(inp: Inputs) -> tuple[float, list[TurnAnnotation], list[TurnAnnotation]]:
    anns = inp.annotations
    bad = [a for a in anns if a.assertiveness in ("aggressive", "passive")]
    good = [a for a in anns if a.assertiveness == "assertive"]
    return 1 - len(bad) / max(1, len(anns)), bad, good


_STYLE_NOTE = {"aggressive": "ton agressif", "passive": "ton passif"}


def eval_posture(inp: Inputs, p: Settings) -> Measure:
    """How the candidate adapts to this interlocutor (``scoring.posture``): engaged turns (French, on
    the subject, with content), open questions that obtained information, no price or pitch before the
    discovery, true restatements, a change of approach after the interlocutor pushes back, no
    aggressive or passive turns, and — with two members — both heard, no side taken. Insults, blame
    and forcing a solution are decisive. Courtesy and talk balance count only in proportion to engaged
    turns: a polite exchange about football is not a posture."""
    f = inp.figures
    c = inp.content
    ev_ = inp.posture
    engaged = c.engaged_share
    share, bad, good = _style_share(inp)
    polite = 1.0 if f.politeness_markers > 0 else 0.0
    in_range = p["min_talk_share"] <= f.talk_share_words <= p["max_talk_share"]
    balance = 1.0 if in_range else 0.5 if f.talk_share_words <= 0.8 else 0.0
    accurate = sum(1 for t in c.turns if t.reformulation == "accurate")
    partial = sum(1 for t in c.turns if t.reformulation == "partial")
    # Counts, not shares, show adaptation; a short exchange cannot show many: no target asks more than
    # ``per_turn`` of the candidate's turns (and when that halves a target, the level is flagged).
    room = max(1.0, p["per_turn"] * len(c.turns))
    short = 2 * room < max(p["adaptation_target"], p["discovery_target"], p["members_target"] if ev_.heard else 0)
    adapt = min(1.0, (accurate + 0.5 * partial + len(ev_.changed_after)) / min(p["adaptation_target"], room))
    discovery = min(1.0, len(ev_.open_informative) / min(p["discovery_target"], room))
    if ev_.early_pitch is not None:
        discovery *= 1 - p["early_pitch_penalty"]
    reception = 1.0 - min(1.0, ev_.unanswered_recadrages / p["pushback_target"])
    least = ev_.least_heard()
    members = 1.0 if least is None else min(1.0, least / min(p["members_target"], room))
    members *= 1 - min(1.0, len(ev_.sides_taken) / p["sides_target"])
    value = (p["w_engaged"] * engaged
             + (p["w_style"] * share + p["w_politeness"] * polite + p["w_balance"] * balance
                + p["w_reception"] * reception) * engaged
             + p["w_adaptation"] * adapt + p["w_discovery"] * discovery + p["w_members"] * members
             - p["refused_penalty"] * min(1.0, len(ev_.pushed_solutions) / p["refusals_target"]))
    reasons = [f"{round(100 * engaged)} % d'interventions en français, sur le sujet et avec un contenu",
               f"{len(ev_.open_informative)} question(s) ouverte(s) ayant obtenu une information",
               "prix ou offre avancés avant toute découverte" if ev_.early_pitch else "",
               f"{accurate} reformulation(s) exacte(s)",
               (f"{len(ev_.recadrages)} recadrage(s) de l'interlocuteur, suivi(s) d'un changement d'approche : "
                f"{len(ev_.changed_after)}") if ev_.recadrages else "",
               ("interlocuteurs entendus : " + ", ".join(f"{_name(inp, k)} {v} fois" for k, v in ev_.heard.items()))
               if ev_.heard else "",
               f"{len(ev_.sides_taken)} prise(s) de parti" if ev_.sides_taken else "",
               f"{len(ev_.refused_proposals)} proposition(s) du candidat refusée(s) par l'interlocuteur"
               if ev_.refused_proposals else "",
               f"{len(ev_.imposing)} décision(s) imposée(s) par le candidat" if ev_.imposing else "",
               f"{len(bad)} intervention(s) agressive(s) ou passive(s) sur {len(inp.annotations)}",
               f"{f.politeness_markers} marque(s) de politesse" if p["w_politeness"] else "",
               f"part de parole {_pct(f.talk_share_words)}" if p["w_balance"] else "",
               *_language_reasons(inp)]
    ev = [_ev(inp, a.id, _STYLE_NOTE[a.assertiveness]) for a in bad[:2]]
    ev += [_ev(inp, t.turn_id, "hors sujet" if t.small_talk else "en anglais" if t.english else "sans contenu")
           for t in c.turns if not t.engaged][:2]
    ev += [_ev(inp, ev_.early_pitch, "prix ou offre avant la découverte")] if ev_.early_pitch else []
    ev += [_ev(inp, t, "recadré, sans changement d'approche ensuite") for t in ev_.recadrages
           if t not in ev_.changed_after][:1]
    ev += [_ev(inp, t, "prise de parti") for t in ev_.sides_taken[:1]]
    ev += [_ev(inp, t, "proposition refusée") for t in ev_.refused_proposals[:1]]
    ev += [_ev(inp, t, "décision imposée") for t in ev_.imposing[:1]]
    ev += [_ev(inp, t, "question ouverte qui obtient une information") for t in ev_.open_informative[:2]]
    ev += [_ev(inp, a.id, "ton assertif") for a in good[:1]]
    m = Measure(value if engaged > 0 else 0.0, ev, [r for r in reasons if r],
                support=len(ev_.open_informative) + accurate + len(ev_.changed_after))
    if engaged < p["min_engaged_share"]:
        m.limit(1, f"seulement {round(100 * engaged)} % d'interventions engagées dans l'échange")
    if short:
        m.doubts.append(f"échange court ({len(c.turns)} interventions du candidat) : la posture est lue sur "
                        "peu d'éléments")
    if p["w_members"] and ev_.heard and not any(ev_.heard.values()) and c.with_("question"):
        m.doubts.append("le destinataire des questions n'a pas pu être lu : l'écoute de chaque membre n'est "
                        "pas vérifiée")
    _insults(inp, m, p)
    _blame_and_force(inp, m, p)
    return m


def _name(inp: Inputs, speaker_id: str) -> str:
    return next((s.name or s.id for s in inp.transcript.speakers if s.id == speaker_id), speaker_id)


def eval_assertiveness(inp: Inputs, p: Settings) -> Measure:
    """Bloc 5: listening (as above), assertive « je » messages and DESC steps, no aggressive/passive
    turns; blame and forcing a solution are decisive."""
    share, bad, good = _style_share(inp)
    desc = sum(1 for a in inp.annotations for m in a.markers if m.family.startswith(("desc_", "assertive_")))
    listening = eval_listening(inp, _defaults("listening"))
    value = (p["w_style"] * share * inp.content.engaged_share
             + p["w_desc"] * min(1.0, desc / p["desc_target"]) + p["w_listening"] * (listening.value or 0.0))
    reasons = [f"{len(good)} intervention(s) assertive(s), {len(bad)} agressive(s) ou passive(s)",
               f"{desc} marqueur(s) de message « je » / étapes DESC", *listening.reasons[:2]]
    ev = [_ev(inp, a.id, "message assertif") for a in good[:2]]
    ev += [_ev(inp, a.id, _STYLE_NOTE[a.assertiveness]) for a in bad[:2]]
    found = bool(good or desc or listening.support)
    m = Measure(value if found else 0.0, ev + listening.evidence[:1], reasons,
                doubts=list(listening.doubts), support=len(good) + (listening.support or 0))
    _insults(inp, m, p)
    _blame_and_force(inp, m, p)
    return m


def _discovery_before_offer(inp: Inputs) -> tuple[int, str | None]:
    """Questions the candidate asked before the first turn that states their own price (jurors ask
    « was there a discovery before the offer? »), and that turn's id (None: no price stated)."""
    asked = 0
    for a in inp.annotations:
        if any(x.role == "own_offer" and x.unit != "%" for x in a.amounts) or a.offer is not None:
            return asked, str(a.id)
        asked += bool(a.is_question)
    return asked, None


def _announced_plan(inp: Inputs) -> str | None:
    """The first candidate turn, among the first two, that announces how the meeting will run."""
    for a in inp.annotations[:2]:
        if any(m.family == "framing" for m in a.markers):
            return str(a.id)
    return None


def eval_negotiation_plan(inp: Inputs, p: Settings) -> Measure:
    """Key stages (découverte, proposition, négociation, conclusion) reached, in that order, in an
    exchange held in French and on the subject; a discovery before the first price and a plan
    announced at the start are what jurors look for first (weights in the rubric)."""
    wanted = ["decouverte", "proposition", "negociation", "conclusion"]
    order = {t.id: i for i, t in enumerate(inp.transcript.turns)}
    firsts = {s["stage"]: order.get(s["first_turn_id"], 0) for s in inp.figures.stages}
    seq = [firsts[s] for s in wanted if s in firsts]
    in_order = sum(1 for a, b in itertools.pairwise(seq) if b >= a) + (1 if seq else 0)
    asked, offer_turn = _discovery_before_offer(inp)
    announced = _announced_plan(inp)
    discovery = min(1.0, asked / p["discovery_target"]) if p["discovery_target"] else 0.0
    if inp.posture.early_pitch is not None:  # the engine (or the text) saw a price before the discovery
        discovery *= 1 - p["early_pitch_penalty"]
    value = (p["w_stages"] * len(seq) / 4 + p["w_order"] * in_order / 4 + p["w_discovery"] * discovery
             + p["w_announced"] * (announced is not None)) * inp.content.engaged_share
    labels = [s["label"] for s in inp.figures.stages if s["stage"] in wanted]
    reasons = [f"étapes clés observées : {', '.join(labels) or 'aucune'}",
               "dans l'ordre attendu" if in_order == len(seq) and seq else "ordre des étapes à revoir",
               f"{asked} question(s) de découverte avant le premier prix" if offer_turn else
               f"{asked} question(s) de découverte, aucun prix annoncé",
               "déroulé annoncé en ouverture" if announced else "déroulé non annoncé",
               *_language_reasons(inp)]
    ev = [_ev(inp, s["first_turn_id"], s["label"]) for s in inp.figures.stages if s["stage"] in wanted]
    return Measure(value, ev, reasons, support=len(seq))


def _fmt(value: float | None, unit: str) -> str:
    return "—" if value is None else f"{value:,.0f} {unit}".replace(",", "\u202f")


def _text_offers(inp: Inputs, p: Settings) -> list[tuple[float, bool]]:
    """The candidate's own prices read from the turns, in order, each with whether the turn asked a
    counterpart; amounts far from the deal's scale (a penalty, a unit price, a two-year total) are left
    out when the thresholds are known: ``plausible_low`` × the buyer's opening to ``plausible_high`` ×
    the list price."""
    th = inp.transcript.negotiation
    low = (th.buyer_opening or th.floor or 0.0) * p["plausible_low"] if th else 0.0
    high = th.list_price * p["plausible_high"] if th and th.list_price else float("inf")
    out = []
    for a in inp.annotations:
        own = a.offer
        if own is None and not a.offer_ambiguous:
            prices = [x.value for x in a.amounts if x.role == "own_offer" and x.unit != "%"]
            own = prices[-1] if prices else None
        if own is not None and low <= own <= high:
            out.append((own, a.asks_counterpart or any(m.move == "counterpart" for m in a.negotiation)))
    return out


def _recap_on_scale(inp: Inputs, p: Settings) -> bool:
    """Whether the closing recap states one of the candidate's prices on the deal's scale (same bounds
    as ``_text_offers``)."""
    th = inp.transcript.negotiation
    low = (th.buyer_opening or th.floor or 0.0) * p["plausible_low"] if th else 0.0
    high = th.list_price * p["plausible_high"] if th and th.list_price else float("inf")
    ann = next((a for a in inp.annotations if str(a.id) == inp.agreement.recap_turn_id), None)
    return ann is not None and any(x.role == "own_offer" and x.unit != "%" and low <= x.value <= high
                                   for x in ann.amounts)


def eval_negotiation_thresholds(inp: Inputs, p: Settings) -> Measure:
    """The candidate's floor kept or crossed, the opening anchored above it, each concession traded
    for a counterpart or given, the discount from the opening. Read from the engine's record when the
    transcript has one (what the buyer heard and accepted), else from the turn readings. Crossing the
    floor, giving every concession away and insulting the buyer are decisive."""
    n = inp.figures.negotiation
    rec = inp.negotiation
    th = inp.transcript.negotiation
    unit = th.unit_label if th else n.unit_label
    from_engine = rec is not None and bool(rec.candidate_offers)
    final: float | None
    if rec is not None and from_engine:
        offers = rec.candidate_offers
        given, total = rec.concessions_given, len(rec.concessions)
        final = rec.agreed_price if rec.agreed_price is not None else offers[-1]
    else:
        path = _text_offers(inp, p)
        offers = [v for v, _ in path]
        steps = [traded for (a, _), (b, traded) in itertools.pairwise(path) if b < a]
        given, total = sum(1 for traded in steps if not traded), len(steps)
        final = offers[-1] if offers else None
    if final is None:
        m = Measure(0.0, [], ["le candidat n'avance aucun prix : pas d'approche de négociation observable",
                              *_language_reasons(inp)])
        _insults(inp, m, p)
        return m
    opening = offers[0]
    if rec is not None and from_engine:
        moves = total + len(rec.counterparts_obtained) + (rec.agreed_price is not None)
    else:
        moves = total + sum(1 for _, asked in path if asked)
    floor = th.floor if th else None
    list_price = th.list_price if th else None
    traded = 1.0 if total == 0 else (total - given) / total
    disc = 1 - final / opening if opening else None
    limited = 1.0 if disc is None or disc <= p["max_discount"] else (0.5 if disc <= 2 * p["max_discount"] else 0.0)
    # The engine's offers are what the buyer heard as offers: one below the floor is decisive. Read from
    # the text, an amount's owner is often wrong, so only the price the candidate ends on is.
    below = [v for v in (offers if from_engine else [final]) if floor is not None and v < floor]
    if floor is None:
        anchor = 1.0 if list_price is None or opening >= list_price * (1 - p["max_discount"]) else 0.5
        kept = 0.0
    else:
        anchor = 0.0 if opening < floor else (1.0 if list_price is None or opening >= list_price
                                              * (1 - p["max_discount"]) else 0.5)
        kept = 0.0 if below or final < floor else 1.0
    # A price said once, with no concession, counterpart or agreed price, shows an opening, not an
    # approach between thresholds: nothing to credit beyond the anchor (no evidence is no level).
    observed = moves > 0
    value = p["w_anchor"] * anchor + (p["w_traded"] * traded + p["w_limited"] * limited
                                      + p["w_floor"] * kept) * observed
    source = "relevé du moteur" if from_engine else "lecture des tours"
    reasons = [f"prix d'ouverture du candidat : {_fmt(opening, unit)} ({source})",
               f"{total} concession(s) du candidat, dont {given} sans contrepartie",
               f"prix final {_fmt(final, unit)}" + (f" — plancher {_fmt(floor, unit)}" if floor is not None else "")]
    if rec is not None and rec.outcome:
        reasons.append(f"issue : {rec.outcome_fr}")
    if not observed:
        reasons.append("aucune concession, contrepartie ni prix convenu : "
                       "l'approche entre les seuils n'est pas observable")
    ev = [_ev(inp, a.id, _MOVE_NOTE[mv.move]) for a in inp.annotations for mv in a.negotiation
          if mv.move in _MOVE_NOTE][:3]
    m = Measure(value, ev, reasons, support=len(offers))
    if below:
        m.limit(p["floor_crossed_cap"], f"prix proposé sous le plancher du candidat ({_fmt(min(below), unit)})")
    elif floor is not None and final < floor:
        m.limit(p["floor_crossed_cap"], "prix final sous le plancher du candidat")
    a = inp.agreement
    # Grid 2.4: a recap amount off the deal's scale (a penalty, a unit price) states no price, and a
    # refusal read in the text does not stand against the deal the engine recorded.
    mismatch = a.price_mismatch if not p["recap_on_scale"] or _recap_on_scale(inp, p) else None
    engine_deal = rec is not None and rec.agreed_price is not None
    refused = a.claims_agreement and bool(a.refused_by) and not (p["recap_on_scale"] and engine_deal)
    if mismatch or refused:
        m.limit(p["contradicted_cap"], mismatch or "accord annoncé alors que l'acheteur l'a refusé")
    if total and given == total and from_engine:
        m.limit(p["given_cap"], "toutes les concessions sont données sans contrepartie")
    elif total and given == total:
        m.doubts.append("concessions sans contrepartie demandée dans le même tour (lecture du texte)")
    _insults(inp, m, p)
    if floor is None:
        m.doubts.append("plancher du candidat inconnu : la position du prix final n'est pas vérifiée")
    if not from_engine:
        m.doubts.append("prix lus dans le texte sans le relevé du moteur (le propriétaire d'un montant "
                        "n'est reconnu qu'environ une fois sur deux)")
    elif rec is not None and rec.agreed_price is not None and (said := _text_offers(inp, p)) \
            and abs(said[-1][0] - rec.agreed_price) > inp.settings.price_tolerance * rec.agreed_price:
        m.doubts.append(f"le texte donne un dernier prix de {_fmt(said[-1][0], unit)}, le moteur a retenu "
                        f"{_fmt(rec.agreed_price, unit)}")
    return m


_MOVE_NOTE = {"offer": "offre", "concession": "concession", "counterpart": "contrepartie demandée",
              "firm": "position ferme"}


def eval_stakeholders(inp: Inputs, p: Settings) -> Measure:
    """People and roles that weigh on the decision, named by anyone in the exchange, that the candidate
    picks up or asks about (see scoring.stakeholders) — and uses: an actor the candidate comes back to
    in a later turn (to restate their role, argue for them, plan to meet them) counts ``w_used`` more
    than one named once. A recap that announces an agreement the interlocutor contradicted explores
    nobody: names in it are not counted."""
    a = inp.agreement
    ignored = {a.recap_turn_id} if a.contradicted and a.recap_turn_id else set()
    everyone = find_stakeholders(inp.transcript, inp.annotations, ignore=ignored)
    explored = [e for e in everyone if e.candidate_turns and e.key != PROCESS]
    used = [e for e in explored if len(e.candidate_turns) >= 2]
    process = any(e.key == PROCESS and e.candidate_turns for e in everyone)
    missed = [e for e in everyone if not e.candidate_turns and e.key != PROCESS]
    value = min(1.0, (len(explored) + p["w_used"] * len(used) + p["w_question"] * float(process))
                / p["entities_target"])
    by = {"candidate": "nommé par le candidat", "persona": "nommé par l'interlocuteur"}
    reasons = [("acteurs explorés : " + ", ".join(f"{e.label} ({by[e.first_named_by]})" for e in explored))
               if explored else "aucun acteur de la décision exploré par le candidat",
               ("repris ensuite par le candidat : " + ", ".join(e.label for e in used)) if used
               else "aucun acteur repris ensuite par le candidat",
               "question sur le processus de décision" if process else "pas de question sur qui décide"]
    if missed:
        reasons.append("nommés par l'interlocuteur mais non repris : " + ", ".join(e.label for e in missed[:4]))
    if ignored:
        reasons.append("acteurs cités dans un récapitulatif contredit par l'interlocuteur non comptés")
    turns = sorted({t for e in explored for t in e.candidate_turns}, key=lambda t: [x.id for x in
                                                                                     inp.transcript.turns].index(t))
    ev = [_ev(inp, t, "acteurs de la décision") for t in turns[:3]]
    return Measure(value, ev, reasons, support=len(turns))


_FRAME = {"frame_context": "contexte", "frame_objective": "objectifs", "frame_agenda": "déroulement",
          "frame_means": "moyens", "frame_results": "résultats attendus"}


def eval_context_presentation(inp: Inputs, p: Settings) -> Measure:
    """Context, objectives, agenda, means and expected results stated in the first candidate turns
    (in French: an English opening frames nothing for a French jury)."""
    french = [a for a, t in zip(inp.annotations, inp.content.turns, strict=True) if not t.english]
    first = french[: int(p["first_turns"])]
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
    return Measure(value, ev, reasons, support=len(set(found.values())))


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


def _jury(c: Criterion, rationale: str, evidence: list[Evidence] | None = None) -> GridItem:
    return GridItem(id=c.id, label=c.label, source=c.source, level=None, level_label=JURY_LABEL,
                    weight=c.weight, evidence=evidence or [], rationale=rationale)


def _doubts(c: Criterion, rubric: Rubric, m: Measure, value: float, level: int) -> list[str]:
    """Why a proposed level should be confirmed: evidence thin, contradictory, or a measure on the
    edge between two levels. A capped level rests on decisive evidence and is not in doubt."""
    if m.cap is not None and level <= m.cap:
        return []
    out = list(m.doubts)
    margin = rubric.content.uncertainty_margin
    for k, t in enumerate(c.thresholds, start=1):
        if abs(value - t) < margin:
            out.append(f"mesure ({value:.2f}) à la limite entre « {rubric.levels[k - 1]} » et « {rubric.levels[k]} »"
                       .replace(".", ","))
            break
    if level >= 2 and m.support is not None and m.support < rubric.content.min_support_turns:
        out.append("niveau appuyé sur une seule intervention" if m.support == 1 else "aucune intervention ne l'appuie")
    return out


def level_for(value: float, thresholds: list[float], cap: int | None = None) -> int:
    """The level a measure reaches with these thresholds, never above the cap of decisive evidence."""
    level = sum(1 for t in thresholds if value >= t)
    return level if cap is None else min(level, max(0, cap))


def _item(c: Criterion, rubric: Rubric, inp: Inputs) -> GridItem:
    if c.evaluator == "jury":
        return _jury(c, c.jury_note or "Non observable dans une transcription.")
    if inp.figures.candidate_turns < c.min_candidate_turns:
        return _jury(c, f"Trop peu d'interventions du candidat ({inp.figures.candidate_turns}) pour conclure.")
    m = EVALUATORS[c.evaluator](inp, c.settings())
    if m.value is None:
        return _jury(c, _sentence(m.reasons), m.evidence)
    value = round(max(0.0, min(1.0, m.value)), 3)
    binding = m.cap is not None and level_for(value, c.thresholds) > m.cap
    level = level_for(value, c.thresholds, m.cap)
    doubts = _doubts(c, rubric, m, value, level)
    decisive = "; ".join(m.cap_reasons)
    reasons = [*m.reasons, *([("niveau plafonné : " if binding else "élément décisif : ") + decisive]
                             if decisive else [])]
    capped_by = _sentence(m.cap_reasons)
    return GridItem(id=c.id, label=c.label, source=c.source, level=level, level_label=rubric.levels[level],
                    measure=value, weight=c.weight, evidence=m.evidence[:5], rationale=_sentence(reasons),
                    uncertain=bool(doubts), capped_by=capped_by,
                    uncertainty_fr=f"{TO_CONFIRM} : {' ; '.join(doubts)}." if doubts else "")


def _sentence(reasons: list[str]) -> str:
    text = " ; ".join(r for r in reasons if r)
    return (text[:1].upper() + text[1:] + ".") if text else ""


def _inputs(rubric: Rubric, transcript: Transcript, annotations: list[TurnAnnotation],
            figures: ConversationFigures) -> Inputs:
    settings = rubric.content
    content = read_content(transcript, annotations, settings)
    return Inputs(transcript, annotations, figures, settings=settings, content=content,
                  agreement=check_agreement(transcript, annotations, figures.closing_summary.turn_id, settings),
                  negotiation=negotiation_record(transcript),
                  posture=read_posture(transcript, annotations, content))


def criterion_measures(rubric: Rubric, transcript: Transcript, annotations: list[TurnAnnotation],
                       figures: ConversationFigures) -> dict[str, tuple[float, int | None] | None]:
    """Each automatic criterion's measure (clipped to [0, 1], rounded as in the grid) and cap; None when
    the criterion is left to the jury. Thresholds do not enter: calibration searches them on these."""
    inp = _inputs(rubric, transcript, annotations, figures)
    out: dict[str, tuple[float, int | None] | None] = {}
    for c in rubric.criteria:
        if c.evaluator == "jury" or figures.candidate_turns < c.min_candidate_turns:
            out[c.id] = None
            continue
        m = EVALUATORS[c.evaluator](inp, c.settings())
        out[c.id] = None if m.value is None else (round(max(0.0, min(1.0, m.value)), 3), m.cap)
    return out


def evaluate_grid(rubric: Rubric, transcript: Transcript, annotations: list[TurnAnnotation],
                  figures: ConversationFigures) -> Grid:
    """Evaluate every criterion of ``rubric``; the overall level is the weighted mean of measured ones."""
    inp = _inputs(rubric, transcript, annotations, figures)
    items = [_item(c, rubric, inp) for c in rubric.criteria]
    measured = [i for i in items if i.level is not None]
    total_w = sum(i.weight for i in measured)
    overall = round(sum(i.weight * (i.level or 0) for i in measured) / total_w, 2) if total_w else None
    return Grid(bloc=rubric.bloc, rubric_version=rubric.version, title=rubric.title, items=items,
                overall=overall, evaluated=len(measured), for_jury=len(items) - len(measured),
                to_confirm=sum(1 for i in measured if i.uncertain))
