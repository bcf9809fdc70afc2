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


_IMPERATIVE_TO_ONE = re.compile(r"\b\w{2,}(?:s|z|e)-(?:moi|nous)\b", re.I)  # « dites-moi », « corrige-moi »
_FOLLOW_UP_WORDS = 5  # a question this short follows up on the last words heard
_ACKNOWLEDGEMENT_WORDS = 7  # a part of a turn this short, beside the name, only thanks or acknowledges


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group(0).strip()]


def _words(text: str) -> int:
    return len(re.findall(r"[\w'’-]+", text))


def _parts(text: str, calls: list[NameHit]) -> list[tuple[str, int, int]]:
    """The turn cut where a new member is called: (member, start, end). A part runs from the start of
    the sentence holding the call to the start of the sentence holding the next call of another
    member; what stands before the first call belongs to nobody in particular."""
    bounds = _sentences(text)

    def sentence_start(pos: int) -> int:
        return next((s for s, e in bounds if s <= pos < e), pos)

    out: list[tuple[str, int, int]] = []
    for h in calls:
        start = sentence_start(h.start)
        if out and out[-1][0] == h.speaker:
            continue
        if out:
            out[-1] = (out[-1][0], out[-1][1], start)
        out.append((h.speaker, start, len(text)))
    return out


def _substantive(text: str, start: int, end: int, names: list[NameHit]) -> bool:
    """The part says more than a thanks or an acknowledgement (« Merci Karim. », « Bonne idée Julie. »)."""
    inner = [h for h in names if start <= h.start < end]
    words = _words(text[start:end]) - sum(_words(text[h.start : h.end]) for h in inner)
    return words > _ACKNOWLEDGEMENT_WORDS


def _with_others_spoken_to(text: str, asked: str, calls: list[NameHit], hits: list[NameHit]) -> list[str]:
    """The member asked, then any other member called and spoken to at length in the turn
    (« Sabrina, tu auras la parole juste après, laisse-le finir. Antoine, … ? »). A short thanks
    (« Merci Karim. Julie, à toi. ») adds no one; nor does an opening that answers whoever spoke
    last without calling them (the older sets' writers address such a turn to the member called)."""
    parts = _parts(text, calls)
    spoken_to = [p for p in parts if p[0] != asked and _substantive(text, p[1], p[2], hits)]
    return [asked, spoken_to[-1][0]] if spoken_to else [asked]


def addressee(text: str, speakers: list[SpeakerRef], context: list[ContextTurn], lang: str = "fr",
              restates_last: bool = False, recap: bool = False) -> list[str]:
    """Speaker ids the turn is addressed to; ``[]`` for the group as one or nobody in particular.

    In order: members called in one sentence (« Bonjour Karim, bonjour Julie ») or a group cue with
    calls of both (« vous deux », « chacun ») address the group; a member called in the final
    question is addressed, and so is a member spoken to at length earlier in the turn (« Sabrina,
    tu auras la parole après… Antoine, … ? »: both ids, the one asked first), while a short thanks
    (« Merci Karim. Julie, à toi. ») hands the turn over. Without a call, « tu », a restatement,
    a question or a request (« dites-moi ») goes to whoever spoke last, unless the turn speaks of
    one member in the third person: then it is said to the other.
    """
    if len(speakers) < 2:
        return []
    lex = load_lexicon(lang)
    hits = name_hits(text, speakers, lang)
    calls = [h for h in hits if h.vocative]
    mentioned = {h.speaker for h in hits if not h.vocative}
    q_start, q_end = _final_part(text)
    final = text[q_start:q_end]
    groups = lex.find_cues(text, ("address_group",))
    strong_calls = [h for h in calls if _opens_a_call(text, h.start, lex)]
    for s_start, s_end in _sentences(text):
        if len({h.speaker for h in strong_calls if s_start <= h.start < s_end}) > 1:
            return []  # « Antoine, tu t'excuses, et Sabrina, vous… », « Bonjour Karim, bonjour Julie »
    both_called = len({h.speaker for h in calls}) > 1
    final_group = any(q_start <= g.start < q_end for g in groups)
    if final_group and both_called:
        return []  # both members called, then the group as one (« …c'est bon pour vous deux ? »)
    final_calls = [h for h in calls if q_start <= h.start < q_end]
    strong = [h.speaker for h in final_calls if _opens_a_call(text, h.start, lex)]
    last = _last_speaker(context, speakers)
    if strong or final_calls:
        return _with_others_spoken_to(text, (strong or [final_calls[0].speaker])[0], calls, hits)
    if final_group:
        return []
    second_tu = bool(lex.find_cues(final, ("address_tu",)))
    if calls:
        if groups and both_called:
            return []
        callee = calls[-1].speaker
        part_start = _parts(text, calls)[-1][1]
        to_one = bool(lex.find_cues(text[part_start:q_start], ("address_tu",)))
        if to_one and not second_tu and "?" in final and lex.find_cues(final, ("address_vous",)):
            return []  # « Julie, tu t'occupes de tes clients. Ça vous va ? »: the « vous » is plural
        call_sentence = next(((a, b) for a, b in _sentences(text) if a <= calls[-1].start < b), (0, len(text)))
        # « ensemble » alone says with whom something is done, not to whom the turn is said
        if (any(g.start >= call_sentence[1] and g.text.lower() != "ensemble" for g in groups)
                and not _substantive(text, call_sentence[0], call_sentence[1], hits)):
            return []  # « Entendu, Nadia. Je voudrais qu'on regarde ça tous les trois… »
        return _with_others_spoken_to(text, callee, calls, hits)
    if (groups and not second_tu) or recap or len(mentioned) > 1:
        return []  # a closing recap, or a turn about both members, speaks to both
    second_tu = second_tu or bool(lex.find_cues(text, ("address_tu",)))
    second_vous = bool(lex.find_cues(text, ("address_vous",)))
    others = [s.id for s in speakers if s.id not in mentioned]
    stance_on_named = bool(lex.find_cues(text, ("name_is_right", "name_is_wrong")))
    if len(mentioned) == 1 and len(others) == 1 and (second_tu or second_vous or stance_on_named):
        return others  # « Julie n'a pas tort », « Karim l'aurait gardé » are said to the other member
    endorses = bool(lex.find_cues(text, ("sides_with_you",)))
    # a short follow-up (« C'est-à-dire ? », « Lesquels ? ») or a request to one (« dites-moi »)
    asks = ("?" in final and _words(text) <= _FOLLOW_UP_WORDS) or _IMPERATIVE_TO_ONE.search(text) is not None
    if second_tu or restates_last or asks or (second_vous and endorses):
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
