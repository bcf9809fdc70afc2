"""French elision and contraction where a slot meets the template's words.

A template says « Et j'aurais besoin de {demande}. »; filled with « un délai » it must read « d'un
délai », with « des pénalités » « des pénalités », with « le prix » « du prix ». Only the junction of a
slot with its neighbours is fixed: the trainer's own words are never rewritten (« de le faire »,
where « le » is a pronoun, stays as written).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from babel.dates import format_date
from babel.lists import format_list

# Grammar, not cue words: the contractions of « de » and « à » with the definite article, and the
# words elided before a vowel (a leading « h » is left alone: h aspiré or muet cannot be told apart).
_CONTRACTIONS = {("de", "le"): "du", ("de", "les"): "des", ("de", "des"): "des",
                 ("à", "le"): "au", ("à", "les"): "aux"}
_ELIDED = {"de": "d'", "le": "l'", "la": "l'", "que": "qu'", "je": "j'", "ne": "n'", "me": "m'",
           "te": "t'", "se": "s'", "lorsque": "lorsqu'", "puisque": "puisqu'", "jusque": "jusqu'"}
_VOWEL = re.compile(r"[aeiouyàâäéèêëîïôöùûü]", re.IGNORECASE)
_LAST_WORD = re.compile(r"(?P<word>[^\W\d_]+)(?P<gap>\s+)$")
_FIRST_WORD = re.compile(r"^(?P<word>[^\W\d_]+)(?=\s|$)")


def _cased(model: str, word: str) -> str:
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def join_french(left: str, right: str) -> str:
    """``left + right`` with the junction made French: « de » + « un délai » → « d'un délai »."""
    gap = len(right) - len(right.lstrip())
    left, right = left + right[:gap], right[gap:]  # the space may sit on either side of the slot
    last = _LAST_WORD.search(left)
    if last is None or not right:
        return left + right
    before, word = left[: last.start()], last.group("word")
    first = _FIRST_WORD.match(right)
    key = word.lower()
    if first is not None and (key, first.group("word").lower()) in _CONTRACTIONS:
        merged = _CONTRACTIONS[(key, first.group("word").lower())]
        return before + _cased(word, merged) + right[first.end():]
    if key in _ELIDED and _VOWEL.match(right):
        return before + _cased(word, _ELIDED[key]) + right
    if key == "si" and re.match(r"ils?\b", right, re.IGNORECASE):
        return before + _cased(word, "s'") + right
    return left + right


WEEKDAY = re.compile(r"(?i)\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b")


def spoken_date(iso: str, said: str | None = None) -> str:
    """« jeudi 17 avril », « jeudi 17 avril à 15 h », « … à 9 h 30 »: a date as a French speaker says it.

    ``said``: the candidate's own words for it. A role-play calendar is often fictional (« lundi
    8 juin » when 8 June of the coming year is a Tuesday): the persona says back the weekday the
    candidate named rather than correcting the calendar of the exercise."""
    moment = datetime.fromisoformat(iso) if "T" in iso else None
    day = moment.date() if moment is not None else date.fromisoformat(iso)
    text = format_date(day, "EEEE d MMMM", locale="fr_FR")
    named = WEEKDAY.search(said or "")
    if named is not None:
        text = named.group(1).lower() + text[text.index(" "):]
    if moment is not None and (moment.hour or moment.minute):
        text += f" à {moment.hour} h" + (f" {moment.minute:02d}" if moment.minute else "")
    return text


def join_list_fr(items: list[str]) -> str:
    """« A, B et C »: a French enumeration (babel's list patterns)."""
    return format_list(items, locale="fr_FR") if items else ""
