"""Does the closing recap match what was actually agreed?

A recap phrase (« pour récapituler, nous sommes d'accord sur… ») is only worth something when the
people in the room agreed. Jurors mark down a mediator who recaps as agreed a solution one member
refused, and a seller whose recap states a price the buyer never accepted. Who agreed comes from the
engine's record when the transcript has one (it decided whether each member accepted), otherwise
from the persona's own words after the candidate's proposal (the last refusal or acceptance of each
speaker).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from scoring.engine_record import mediation_record, negotiation_record
from scoring.lexicon import load_lexicon
from scoring.rubric import ContentSettings
from scoring.schema import TurnAnnotation
from scoring.topics import fold
from scoring.transcript import Transcript


@dataclass
class AgreementCheck:
    """What the recap claims against what the others said or the engine decided."""

    recap_turn_id: str | None = None
    claims_agreement: bool = False
    refused_by: list[str] = field(default_factory=list)  # display names
    refusal_turns: list[str] = field(default_factory=list)
    imposed_turns: list[str] = field(default_factory=list)  # candidate turns imposing after a refusal
    price_mismatch: str | None = None  # French: the recap's price against the agreed one
    source: str = "transcript"  # "engine" when the engine's record decided
    # Members the recap counts as agreeing although nobody recorded their agreement (engine: no
    # solution agreed) and nobody refused either: a doubt for the jury, not decisive evidence.
    unconfirmed_by: list[str] = field(default_factory=list)

    # The interlocutor answered the recap itself with a refusal (« Non, … »): whatever it claims, the
    # recap does not match what they agreed to.
    recap_refused_by: list[str] = field(default_factory=list)

    @property
    def contradicted(self) -> bool:
        """The recap says agreed while someone refused, states a price nobody agreed to, or is refused."""
        return (bool(self.claims_agreement and self.refused_by) or self.price_mismatch is not None
                or bool(self.recap_refused_by))


def _has(text: str, family: str, folded: bool = False) -> bool:
    lex = load_lexicon("fr")
    return bool(lex.cue(family).search(fold(text))) if folded else bool(lex.find_cues(text, (family,)))


def _names(transcript: Transcript) -> dict[str, str]:
    names = {s.id: s.name or s.id for s in transcript.speakers}
    for t in transcript.turns:
        if t.speaker_role != "candidate" and t.speaker_id and t.speaker_id not in names:
            names[t.speaker_id] = t.speaker_name or t.speaker_id
    return names


def check_agreement(transcript: Transcript, annotations: list[TurnAnnotation], recap_turn_id: str | None,
                    settings: ContentSettings) -> AgreementCheck:
    """Compare the recap (``recap_turn_id``, the closing summary) with what was agreed."""
    out = AgreementCheck(recap_turn_id=recap_turn_id)
    turns = transcript.turns
    recap = next((t for t in turns if t.id == recap_turn_id), None)
    names = _names(transcript)
    if recap is not None:
        out.claims_agreement = _has(recap.text, "grid_recap_agreement")
        at = turns.index(recap)
        answer = list(itertools.takewhile(lambda t: t.speaker_role != "candidate", turns[at + 1:]))
        refusing = [t for t in answer if _has(t.text, "grid_refusal")]
        # A candidate who then asks what is wrong reopens the recap for correction: not contradicted.
        after = turns[at + 1 + len(answer)] if at + 1 + len(answer) < len(turns) else None
        reading = next((a for a in annotations if after is not None and str(a.id) == after.id), None)
        if reading is not None and (reading.question_type == "open" or reading.is_reformulation):
            refusing = []
        out.recap_refused_by = [names.get(t.speaker_id or "", t.speaker_name or "interlocuteur") for t in refusing]
        out.refusal_turns = [t.id for t in refusing]
    # Persona turns after the candidate's first proposal: each speaker's last refusal or acceptance.
    proposal_at = next((i for i, t in enumerate(turns) if t.speaker_role == "candidate"
                        and (_has(t.text, "engine_proposal", folded=True) or _has(t.text, "grid_impose"))), None)
    last: dict[str, tuple[str, str]] = {}
    refused_at: int | None = None
    for i, t in enumerate(turns):
        if proposal_at is None or i <= proposal_at or t.speaker_role == "candidate":
            continue
        who = t.speaker_id or t.speaker_name or "interlocuteur"
        if _has(t.text, "grid_refusal"):
            last[who] = ("refused", t.id)
            refused_at = i if refused_at is None else refused_at
        elif _has(t.text, "grid_acceptance"):
            last[who] = ("accepted", t.id)
    refusers = [w for w, (state, _) in last.items() if state == "refused"]
    out.refusal_turns = [last[w][1] for w in refusers] + [t for t in out.refusal_turns
                                                          if t not in {last[w][1] for w in refusers}]
    if refused_at is not None:
        out.imposed_turns = [t.id for t in turns[refused_at:] if t.speaker_role == "candidate"
                             and _has(t.text, "grid_impose")]
    mediation = mediation_record(transcript)
    if mediation is not None:
        out.source = "engine"
        # The engine's rejections, else the members' own last word: a refusal said in the text that
        # the engine did not register is still a refusal.
        refusers = list(mediation.refused_by) or refusers
        if out.claims_agreement and not mediation.solution_agreed and not refusers:
            out.unconfirmed_by = [names.get(m, m) for m in names if m not in mediation.accepted_by]
    out.refused_by = [names.get(w, w) for w in refusers]
    negotiation = negotiation_record(transcript)
    if negotiation is not None and recap is not None:
        out.source = "engine"
        ann = next((a for a in annotations if str(a.id) == recap.id), None)
        said = [a.value for a in (ann.amounts if ann else []) if a.unit != "%" and a.role == "own_offer"]
        agreed = negotiation.agreed_price
        if said and agreed is None and out.claims_agreement:
            out.price_mismatch = "le récapitulatif annonce un prix alors qu'aucun prix n'a été accepté"
        elif said and agreed is not None and all(abs(v - agreed) > settings.price_tolerance * agreed for v in said):
            out.price_mismatch = (f"le récapitulatif annonce {said[-1]:g} alors que le prix convenu "
                                  f"est {agreed:g}")
    return out
