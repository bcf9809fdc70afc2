"""Stakeholders named in the exchange and explored by the candidate (Bloc 4, criterion 1).

Jurors credit a candidate who identifies the people and roles that weigh on the decision — the
production manager with a technical veto, the group's CFO above a threshold, the customer whose audit
sets the requirements — whoever named them first: the buyer often mentions them in passing, and the
candidate's merit is to pick them up, ask about them and use them. So an entity is a role (one lexicon
family per role, so « DAF » and « directeur financier » are one person) or a proper name said in a
turn about a decision; the candidate explores it when one of their turns names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scoring.lexicon import load_lexicon
from scoring.schema import TurnAnnotation
from scoring.topics import fold
from scoring.transcript import Transcript

ROLE_PREFIX = "grid_role_"
ROLE_LABELS = {
    "grid_role_finance": "direction financière", "grid_role_technical": "responsable technique / production",
    "grid_role_purchasing": "achats", "grid_role_management": "direction générale",
    "grid_role_group": "groupe / maison mère", "grid_role_quality": "qualité / audit",
    "grid_role_users": "utilisateurs", "grid_role_committee": "comité", "grid_role_legal": "juridique",
    "grid_role_customer": "clients du client",
}
PROCESS = "processus de décision"
# A capitalised word after a lower-case word or a comma is a name (French capitalises little else).
_MID_CAPITAL = re.compile(r"(?<=[\w,;’'] )(?P<name>[A-ZÀÂÉÈÊÎÔÛÇ][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?)")
_NAME_AFTER_TITLE = re.compile(r"\b(?:M\.|Mme|Monsieur|Madame)\s+(?P<name>[A-ZÀ-Ý][a-zà-ÿ]+)")


@dataclass
class Stakeholder:
    """One person or role: who named it first, where, and the candidate's turns about it."""

    key: str
    label: str
    first_named_by: str  # "candidate" | "persona"
    first_turn_id: str
    candidate_turns: list[str] = field(default_factory=list)


def _excluded(transcript: Transcript) -> set[str]:
    """The people in the room are not stakeholders found by the candidate: their own names."""
    out: set[str] = set()
    for s in transcript.speakers:
        out.update(fold(part) for part in re.split(r"[\s-]+", s.name or "") if part)
    for t in transcript.turns:
        out.update(fold(part) for part in re.split(r"[\s-]+", t.speaker_name or "") if part)
    return out


def _names_in(text: str, known: set[str]) -> set[str]:
    """Known names said anywhere in the text (folded)."""
    words = {fold(w) for w in re.findall(r"[^\W\d_]+", text)}
    return words & known


def find_stakeholders(transcript: Transcript, annotations: list[TurnAnnotation],
                      ignore: set[str] | None = None) -> list[Stakeholder]:
    """Every stakeholder of the exchange, in order of first mention; explored ones carry turn ids.
    Turns in ``ignore`` (e.g. a recap the interlocutor contradicted) neither name nor explore anyone."""
    lex = load_lexicon("fr")
    excluded = _excluded(transcript)
    not_names = lex.cue("grid_not_a_name")
    decision_talk = lex.cue("grid_decision_talk")
    known: set[str] = set()
    for t in transcript.turns:
        if not decision_talk.search(t.text) and not lex.find_cues(t.text, tuple(ROLE_LABELS)):
            continue
        for m in [*_MID_CAPITAL.finditer(t.text), *_NAME_AFTER_TITLE.finditer(t.text)]:
            name = m.group("name")
            if not not_names.fullmatch(name) and fold(name) not in excluded:
                known.add(fold(name))
    found: dict[str, Stakeholder] = {}
    questions = {str(a.id) for a in annotations if a.stakeholder_question}
    for t in transcript.turns:
        if ignore and t.id in ignore:
            continue
        keys = {(m.family, ROLE_LABELS[m.family]) for m in lex.find_cues(t.text, tuple(ROLE_LABELS))}
        originals = {fold(w): w for w in re.findall(r"[^\W\d_]+", t.text)}
        keys |= {(f"name:{n}", originals.get(n, n)) for n in _names_in(t.text, known)}
        if t.speaker_role == "candidate" and t.id in questions:
            keys.add((PROCESS, PROCESS))
        for key, label in sorted(keys):
            who = "candidate" if t.speaker_role == "candidate" else "persona"
            entity = found.setdefault(key, Stakeholder(key, label, who, t.id))
            if who == "candidate" and t.id not in entity.candidate_turns:
                entity.candidate_turns.append(t.id)
    return list(found.values())
