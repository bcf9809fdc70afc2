"""How the candidate adapts to this interlocutor: the evidence the posture criteria read.

Jurors do not grade posture from the form of the turns (politeness, length) but from how the candidate
behaves towards the person in front of them: discovering before pitching, asking open questions that
let the other speak, restating what they said, changing course when they push back, and — with two
team members in conflict — hearing both without taking sides. Each of these is read from the stored
turn readings (``scoring.content``, ``TurnAnnotation``) and, when the transcript carries it, the
engine's record of how the persona reacted. Nothing here is a level: ``scoring.grid`` weighs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scoring.addressee import name_hits
from scoring.content import POSTURE_EVENTS, ContentReading
from scoring.engine_record import events_of
from scoring.lexicon import load_lexicon
from scoring.schema import SpeakerRef, TurnAnnotation
from scoring.topics import fold
from scoring.transcript import Transcript

# Engine events that say the candidate pitched or priced before discovering the other's situation.
EARLY_PITCH_EVENTS = frozenset({"offer_premature", "price_before_discovery"})
# Engine event: a member rejected the solution the candidate put forward.
REJECTED_EVENT = "solution_rejected"


@dataclass
class PostureEvidence:
    """What the conversation shows of the candidate's adaptation to the interlocutor."""

    open_informative: list[str] = field(default_factory=list)  # open questions that obtained information
    early_pitch: str | None = None  # the candidate turn that priced/pitched before any discovery
    recadrages: list[str] = field(default_factory=list)  # candidate turns the interlocutor pushed back on
    changed_after: list[str] = field(default_factory=list)  # of those, followed by a change of approach
    heard: dict[str, int] = field(default_factory=dict)  # Bloc 5: member id → turns asking or restating them
    sides_taken: list[str] = field(default_factory=list)  # candidate turns siding with one member
    refused_proposals: list[str] = field(default_factory=list)  # candidate proposals a member refused
    imposing: list[str] = field(default_factory=list)  # candidate turns that decide alone (« je tranche »)

    @property
    def pushed_solutions(self) -> list[str]:
        """Turns where the candidate pushed a solution rather than building it with the others."""
        return sorted(set(self.refused_proposals) | set(self.imposing))

    @property
    def unanswered_recadrages(self) -> int:
        """Pushbacks the candidate did not respond to by changing approach."""
        return len(self.recadrages) - len(self.changed_after)

    def least_heard(self) -> int | None:
        """Turns given to the member the candidate heard least (None: fewer than two members)."""
        return min(self.heard.values()) if len(self.heard) >= 2 else None


def own_price(ann: TurnAnnotation) -> bool:
    """The turn states the candidate's own price (an offer, or an own amount that is not a percentage)."""
    return ann.offer is not None or any(a.role == "own_offer" and a.unit != "%" for a in ann.amounts)


def early_pitch(transcript: Transcript, annotations: list[TurnAnnotation], content: ContentReading) -> str | None:
    """The candidate turn that put a price forward before any question had obtained information.

    With the engine's record, its own judgement of a premature offer or price is used (it knows
    whether the interlocutor had asked for the offer first); without it (or a record with no events,
    an export from before the engine logged them), the first own price said before any informative
    question."""
    events = events_of(transcript)
    if events:
        numbers = sorted(e.turn for e in events if e.name in EARLY_PITCH_EVENTS)
        by_number = {t.number: t.turn_id for t in content.turns}
        return by_number.get(numbers[0]) if numbers else None
    for ann, turn in zip(annotations, content.turns, strict=True):
        if own_price(ann):
            return turn.turn_id
        if turn.informative:
            return None
    return None


def _changed(ann: TurnAnnotation, reformulation: str | None, engaged: bool) -> bool:
    """A turn that changes course after a pushback: engaged, not aggressive, and it opens the floor to
    the other (an open question) or shows it heard them (a restatement that is not wrong)."""
    if not engaged or ann.assertiveness == "aggressive":
        return False
    return ann.question_type == "open" or reformulation in ("accurate", "partial")


def recadrages(transcript: Transcript, annotations: list[TurnAnnotation],
               content: ContentReading) -> tuple[list[str], list[str]]:
    """Candidate turns the interlocutor pushed back on (their words, or the engine's posture events),
    and those followed by a change of approach in the candidate's next turn."""
    ids = [t.turn_id for t in content.turns]
    number_of = {t.turn_id: t.number for t in content.turns}
    pushed: set[int] = set()
    last: str | None = None
    for t in transcript.turns:
        if t.speaker_role == "candidate":
            last = t.id
        elif last is not None and t.id in content.pushback_turns:
            pushed.add(number_of[last])
    pushed |= {e.turn for e in events_of(transcript) if e.name in POSTURE_EVENTS and 1 <= e.turn <= len(ids)}
    changed = []
    for n in sorted(pushed):
        if n < len(ids):
            nxt = content.turns[n]
            if _changed(annotations[n], nxt.reformulation, nxt.engaged):
                changed.append(ids[n - 1])
    return [ids[n - 1] for n in sorted(pushed)], changed


def members_heard(transcript: Transcript, annotations: list[TurnAnnotation], content: ContentReading) -> dict[str, int]:
    """Per member who spoke, the candidate's engaged turns that ask them a question or restate what
    they said — a member is given the floor when the turn is addressed to them, calls them by name, or
    speaks to both (« l'un et l'autre ») — : a mediator hears both sides (empty with one interlocutor)."""
    spoke = {t.speaker_id for t in transcript.turns if t.speaker_role != "candidate" and t.speaker_id}
    refs = [SpeakerRef(id=s.id, name=s.name) for s in transcript.speakers if s.id in spoke]
    if len(refs) < 2:
        return {}
    heard = {r.id: 0 for r in refs}
    lex = load_lexicon("fr")
    by_id = {t.id: t for t in transcript.turns}
    for ann, turn in zip(annotations, content.turns, strict=True):
        if not turn.engaged or not (turn.question or turn.reformulation in ("accurate", "partial")):
            continue
        text = by_id[turn.turn_id].text
        called = {h.speaker for h in name_hits(text, refs) if h.vocative} | set(ann.addressee)
        if not called and lex.find_cues(text, ("address_group",)):
            called = set(heard)
        for who in called & set(heard):
            heard[who] += 1
    return heard


def refused_proposals(transcript: Transcript, content: ContentReading) -> list[str]:
    """Candidate turns whose proposal the interlocutor refused: a solution pushed rather than built
    with the people concerned. From the engine's record when present (it decided each rejection),
    else a refusal (``cues.grid_refusal``) in the persona turns right after a candidate turn that
    proposes or imposes (``cues.engine_proposal``, ``cues.grid_impose``)."""
    events = events_of(transcript)
    if events:
        by_number = {t.number: t.turn_id for t in content.turns}
        return sorted({by_number[e.turn] for e in events
                       if e.name == REJECTED_EVENT and e.turn in by_number},
                      key=lambda tid: next(t.number for t in content.turns if t.turn_id == tid))
    lex = load_lexicon("fr")
    out: list[str] = []
    proposal: str | None = None
    for t in transcript.turns:
        if t.speaker_role == "candidate":
            proposes = lex.cue("engine_proposal").search(fold(t.text)) or lex.find_cues(t.text, ("grid_impose",))
            proposal = t.id if proposes else None
        elif proposal is not None and lex.find_cues(t.text, ("grid_refusal",)) and proposal not in out:
            out.append(proposal)
    return out


def read_posture(transcript: Transcript, annotations: list[TurnAnnotation], content: ContentReading) -> PostureEvidence:
    """Every piece of posture evidence of the conversation (annotations in candidate-turn order)."""
    pushed, changed = recadrages(transcript, annotations, content)
    return PostureEvidence(
        open_informative=[t.turn_id for a, t in zip(annotations, content.turns, strict=True)
                          if t.informative and a.question_type == "open"],
        early_pitch=early_pitch(transcript, annotations, content),
        recadrages=pushed, changed_after=changed,
        heard=members_heard(transcript, annotations, content),
        sides_taken=[t.turn_id for a, t in zip(annotations, content.turns, strict=True)
                     if a.stance is not None and a.stance.sides_with],
        refused_proposals=refused_proposals(transcript, content),
        imposing=[t.turn_id for t in content.turns if t.imposes])
