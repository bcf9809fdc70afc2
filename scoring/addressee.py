"""To whom a turn is said, and whose side it takes, when the partner has several speakers (Bloc 5).

A mediator who asks « Antoine, et pour toi ? » must be answered by Antoine; « Antoine a raison… »
said to Sabrina is about Antoine, not to him, and takes his side. A name is a call (vocative)
unless the words around it make it an argument of the sentence: a preposition, « que » or « c'est »
before it (« pour Antoine », « c'est Julie qui »), a clitic or a third-person verb after it
(« Karim l'aurait gardé », « Julie touche la commission »). Regular expressions over the speakers'
names and the lexicon's cues: the engine calls it on every turn.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from scoring.lexicon import Lexicon, load_lexicon
from scoring.schema import ContextTurn, SpeakerRef, Stance

_SENTENCE = re.compile(r"[^.!?…\n]+[.!?…]*")
_LOOK_AROUND = 30  # characters read on each side of a name
_EVIDENCE_CHARS = 80
_AFTER_PUNCTUATION = re.compile(r"[,.;:!?…(]\s*$")
_JOINED = re.compile(r"\s+(?:et|and|ou)\s+$")  # « Julie et Karim » name both members


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


@lru_cache(maxsize=8)
def _ending(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The cue anchored at the end of the text (``finditer`` would stop at a shorter, earlier match)."""
    return re.compile(f"(?:{pattern.pattern})$", pattern.flags)


def _is_argument(folded: str, start: int, end: int, lex: Lexicon) -> bool:
    """The name is a grammatical argument (« pour Antoine », « Julie n'a pas tort »), not a call."""
    before = folded[max(0, start - _LOOK_AROUND) : start]
    if _ending(lex.cue("name_argument_before")).search(before):
        return True
    after = folded[end : end + _LOOK_AROUND]
    if lex.cue("name_argument_after").match(after) is not None:
        return True
    # a word right after the name (no comma) that is no pronoun, adverb or particle: « Julie reprend »
    return re.match(r" +\w", after) is not None and lex.cue("name_call_after").match(after) is None


def _opens_a_call(text: str, start: int, lex: Lexicon) -> bool:
    """The name stands after a boundary or a greeting (« …, et Sabrina, », « Merci Karim »), where a
    call opens; not after a verb (« pourquoi tu n'as pas appelé Karim ? »)."""
    before = _fold(text[max(0, start - _LOOK_AROUND) : start])
    return (not before.strip() or _AFTER_PUNCTUATION.search(before) is not None
            or _ending(lex.cue("name_call_before")).search(before) is not None)


def name_hits(text: str, speakers: list[SpeakerRef], lang: str = "fr") -> list[NameHit]:
    """Every mention of a speaker by name, in reading order (accent- and case-insensitive)."""
    lex = load_lexicon(lang)
    folded = _fold(text)
    hits: list[NameHit] = []
    taken: list[tuple[int, int]] = []
    for sp in speakers:
        for name in _names(sp):
            for m in re.finditer(rf"(?<!\w){re.escape(_fold(name))}(?!\w)", folded):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                vocative = not _is_argument(folded, m.start(), m.end(), lex)
                hits.append(NameHit(sp.id, m.start(), m.end(), vocative))
    hits.sort(key=lambda h: h.start)
    for i, (a, b) in enumerate(itertools.pairwise(list(hits))):
        if a.speaker != b.speaker and _JOINED.fullmatch(folded[a.end : b.start]):
            hits[i] = NameHit(a.speaker, a.start, a.end, False)
            hits[i + 1] = NameHit(b.speaker, b.start, b.end, False)
    return hits


def _last_speaker(context: list[ContextTurn], speakers: list[SpeakerRef]) -> str | None:
    ids = {s.id for s in speakers}
    for turn in reversed(context):
        if turn.speaker == "self":
            return None  # the candidate spoke last: nobody in particular to answer
        if turn.speaker_id in ids:
            return turn.speaker_id
    return None


def _final_part(text: str) -> tuple[int, int]:
    """Offsets of the turn's last question, else of its last sentence: what the turn asks of whom."""
    sentences = [m for m in _SENTENCE.finditer(text) if m.group(0).strip()]
    if not sentences:
        return 0, len(text)
    questions = [m for m in sentences if "?" in m.group(0)]
    last = (questions or sentences)[-1]
    return last.start(), last.end()


def addressee(text: str, speakers: list[SpeakerRef], context: list[ContextTurn], lang: str = "fr",
              restates_last: bool = False, recap: bool = False) -> list[str]:
    """Speaker ids the turn is addressed to; ``[]`` for everyone or nobody in particular.

    In order: « vous deux », « chacun » in the final question address the group; a name called in
    it wins; names of both members called in turn (a greeting, a round) address the group; a single
    member called is addressed; a group cue elsewhere addresses the group. Without a call, « tu » or
    « vous » goes to the other member when the turn speaks of one in the third person, else « tu »
    (and a « vous » that restates or endorses the last words) to whoever spoke last.
    """
    if len(speakers) < 2:
        return []
    lex = load_lexicon(lang)
    hits = name_hits(text, speakers, lang)
    calls = [h for h in hits if h.vocative]
    mentioned = {h.speaker for h in hits if not h.vocative}
    q_start, q_end = _final_part(text)
    groups = lex.find_cues(text, ("address_group",))
    final_calls = [h for h in calls if q_start <= h.start < q_end]
    strong = list(dict.fromkeys(h.speaker for h in final_calls if _opens_a_call(text, h.start, lex)))
    if len(strong) > 1:
        return []  # « Antoine, tu t'excuses, et Sabrina, vous… »: one sentence to both
    if strong or final_calls:
        return (strong or [final_calls[0].speaker])[:1]
    if any(q_start <= g.start < q_end for g in groups):
        return []
    second_tu = bool(lex.find_cues(text[q_start:q_end], ("address_tu",)))
    if calls:
        # both members called in turn with a group cue (« Bonjour Sabrina, bonjour Antoine… vous
        # deux ») address the group; otherwise the last call hands the turn over (« Merci Karim.
        # Julie, à toi. »)
        return [] if groups and len({h.speaker for h in calls}) > 1 else [calls[-1].speaker]
    if (groups and not second_tu) or recap or len(mentioned) > 1:
        return []  # a closing recap, or a turn about both members, speaks to both
    second_tu = second_tu or bool(lex.find_cues(text, ("address_tu",)))
    second_vous = bool(lex.find_cues(text, ("address_vous",)))
    others = [s.id for s in speakers if s.id not in mentioned]
    stance_on_named = bool(lex.find_cues(text, ("name_is_right", "name_is_wrong")))
    if len(mentioned) == 1 and len(others) == 1 and (second_tu or second_vous or stance_on_named):
        return others  # « Julie n'a pas tort », « Karim l'aurait gardé » are said to the other member
    endorses = bool(lex.find_cues(text, ("sides_with_you",)))
    if second_tu or restates_last or (second_vous and endorses):
        last = _last_speaker(context, speakers)
        return [last] if last and last not in mentioned else []
    return []


def stance(text: str, speakers: list[SpeakerRef], addressed: list[str], lang: str = "fr",
           hostile: bool = False) -> Stance | None:
    """Whom the turn sides with or blames, by name or through « tu as raison » said to the addressee.

    Minimising one side's concern (« ce n'est pas si grave ») said to them blames them too, and so
    does a hostile turn (``hostile``: read as aggressive) said to one member: in a mediation,
    reproaching one party is taking the other's side.
    """
    if len(speakers) < 2:
        return None
    lex = load_lexicon(lang)
    out = Stance()
    to_one = addressed[0] if len(addressed) == 1 else None
    for hit in name_hits(text, speakers, lang):
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
    if hostile and to_one is not None and out.blames is None and out.sides_with != to_one:
        out.blames = to_one
        first = next((m.group(0).strip() for m in _SENTENCE.finditer(text) if m.group(0).strip()), text)
        out.evidence.append(first[:_EVIDENCE_CHARS])
    if out.sides_with == out.blames:
        out.blames = None if out.sides_with else out.blames
    return out if (out.sides_with or out.blames) else None
