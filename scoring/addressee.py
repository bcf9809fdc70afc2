"""To whom a turn is said, and whose side it takes, when the partner has several speakers (Bloc 5).

A mediator who asks « Antoine, et pour toi ? » must be answered by Antoine; « Antoine a raison… »
said to Sabrina is about Antoine, not to him, and takes his side. Pure regular expressions over the
speakers' names and the lexicon's cues: the engine calls it on every turn.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from scoring.lexicon import load_lexicon
from scoring.schema import ContextTurn, SpeakerRef, Stance

_SENTENCE = re.compile(r"[^.!?…\n]+[.!?…]*")
# What may stand right before and after a name said as a call (vocative): a boundary or « et toi ».
_BEFORE_CALL = re.compile(r"(?:^|[.!?,;:…]|\b(?:et|toi|vous|hein|alors|bon|ok|donc|mais|merci|bonjour|salut|oui|non)"
                          r")\s*$", re.I)
_AFTER_CALL = re.compile(r"^\s*(?:[,?!.:;…]|$)")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").replace("’", "'")


@dataclass(frozen=True)
class NameHit:
    """Where a speaker's name stands in the turn and whether it is a call (vocative)."""

    speaker: str
    start: int
    end: int
    vocative: bool


def _names(speaker: SpeakerRef) -> list[str]:
    """First name, full name and id: « Antoine », « Antoine Roux », « antoine »."""
    out = {speaker.id}
    if speaker.name:
        out.add(speaker.name)
        out.add(speaker.name.split()[0])
    return sorted((n for n in out if len(n) >= 2), key=len, reverse=True)


def name_hits(text: str, speakers: list[SpeakerRef]) -> list[NameHit]:
    """Every mention of a speaker by name, in reading order (accent- and case-insensitive)."""
    folded = _fold(text)
    hits: list[NameHit] = []
    taken: list[tuple[int, int]] = []
    for sp in speakers:
        for name in _names(sp):
            for m in re.finditer(rf"(?<!\w){re.escape(_fold(name))}(?!\w)", folded):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                vocative = bool(_BEFORE_CALL.search(folded[: m.start()])) and bool(_AFTER_CALL.match(folded[m.end():]))
                hits.append(NameHit(sp.id, m.start(), m.end(), vocative))
    return sorted(hits, key=lambda h: h.start)


def _last_speaker(context: list[ContextTurn], speakers: list[SpeakerRef]) -> str | None:
    ids = {s.id for s in speakers}
    for turn in reversed(context):
        if turn.speaker == "self":
            return None  # the candidate spoke last: nobody in particular to answer
        if turn.speaker_id in ids:
            return turn.speaker_id
    return None


def addressee(text: str, speakers: list[SpeakerRef], context: list[ContextTurn], lang: str = "fr") -> list[str]:
    """Speaker ids the turn is addressed to; ``[]`` for everyone or nobody in particular.

    A name called in the turn's last question (else in the turn) wins; « vous deux », « chacun »
    address the group; an informal « tu » with no name goes to whoever spoke last, or to the other
    member when the turn speaks of one in the third person.
    """
    if len(speakers) < 2:
        return []
    lex = load_lexicon(lang)
    hits = name_hits(text, speakers)
    calls = [h for h in hits if h.vocative]
    if calls:
        questions = [m for m in _SENTENCE.finditer(text) if "?" in m.group(0)]
        if questions:
            last_q = questions[-1]
            in_last = [h for h in calls if last_q.start() <= h.start < last_q.end()]
            # « Sabrina, tu en penses quoi ? » : the call may open the sentence before the question mark
            if in_last:
                return [in_last[-1].speaker]
        return [calls[-1].speaker]
    if lex.find_cues(text, ("address_group",)):
        return []
    if lex.find_cues(text, ("address_tu",)):
        mentioned = {h.speaker for h in hits}
        if len(mentioned) == 1:
            others = [s.id for s in speakers if s.id not in mentioned]
            return others[:1] if len(others) == 1 else []
        last = _last_speaker(context, speakers)
        return [last] if last else []
    return []


def stance(text: str, speakers: list[SpeakerRef], addressed: list[str], lang: str = "fr") -> Stance | None:
    """Whom the turn sides with or blames, by name or through « tu as raison » said to the addressee.

    Minimising one side's concern (« ce n'est pas si grave ») said to them blames them too.
    """
    if len(speakers) < 2:
        return None
    lex = load_lexicon(lang)
    out = Stance()
    to_one = addressed[0] if len(addressed) == 1 else None
    for hit in name_hits(text, speakers):
        after = text[hit.end : hit.end + 40]
        before = text[max(0, hit.start - 40) : hit.start]
        right = lex.find_cues(after, ("name_is_right", "name_is_wrong"))
        if right and right[0].start <= 2:
            if right[0].family == "name_is_right":
                out.sides_with = out.sides_with or hit.speaker
            else:
                out.blames = out.blames or hit.speaker
            out.evidence.append(text[hit.start : hit.end + right[0].end])
            continue
        left = lex.find_cues(before, ("sides_with_name_after", "blames_name_after"))
        if left and left[-1].end >= len(before) - 3:
            if left[-1].family == "sides_with_name_after":
                out.sides_with = out.sides_with or hit.speaker
            else:
                out.blames = out.blames or hit.speaker
            out.evidence.append(before[left[-1].start :] + text[hit.start : hit.end])
    if to_one is not None:
        for m in lex.find_cues(text, ("sides_with_you", "blames_you")):
            if m.family == "sides_with_you":
                out.sides_with = out.sides_with or to_one
            else:
                out.blames = out.blames or to_one
            out.evidence.append(m.text)
    if out.sides_with == out.blames:
        out.blames = None if out.sides_with else out.blames
    return out if (out.sides_with or out.blames) else None
