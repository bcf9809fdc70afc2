"""Dates and delays in a turn (« jeudi 17 avril à 15 h », « sous 48 heures », « d'ici fin mars »),
resolved with ``dateparser`` against the day the turn was said, so the persona can answer with the
real date and the report can check that next steps are dated.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from typing import Any

from scoring.lexicon import load_lexicon
from scoring.schema import DateOut

_MONTHS = {"janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
           "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12}
_END_OF = re.compile(r"fin (?:de |d')?(?P<what>\w+)", re.I)
_DELAY = re.compile(r"^(?:sous|dans|d'ici|en|avant)\s+", re.I)
_HOUR = re.compile(r"(?i)\d\s*(?:h|:)|midi|minuit")
_SETTINGS: dict[str, Any] = {"PREFER_DATES_FROM": "future", "DATE_ORDER": "DMY"}


def _end_of(what: str, base: datetime) -> date | None:
    """« fin mars » → the last day of the next March; « fin du mois » / « fin d'année »."""
    w = what.lower()
    if w in _MONTHS:
        month = _MONTHS[w]
        year = base.year + (1 if month < base.month else 0)
        return date(year, month, calendar.monthrange(year, month)[1])
    if w == "mois":
        return date(base.year, base.month, calendar.monthrange(base.year, base.month)[1])
    if w in ("année", "annee", "an"):
        return date(base.year, 12, 31)
    return None


_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_WEEKDAY_ONLY = re.compile(r"(?i)^(?P<day>lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)(?: prochain)?"
                           r"(?: (?:matin|soir|après-midi))?(?: à (?P<h>\d{1,2}) ?h(?: ?(?P<m>\d{2}))?)?$")


def _next_weekday(snippet: str, base: datetime) -> datetime | None:
    """« mardi prochain à 10 h »: the next such day after the turn (dateparser reads no « prochain »)."""
    m = _WEEKDAY_ONLY.match(snippet)
    if not m:
        return None
    ahead = (_WEEKDAYS.index(m.group("day").lower()) - base.weekday()) % 7 or 7
    day = base.replace(hour=0, minute=0, second=0, microsecond=0).fromordinal(base.toordinal() + ahead)
    return day.replace(hour=int(m.group("h") or 0), minute=int(m.group("m") or 0))


def _parse(snippet: str, base: datetime) -> datetime | None:
    weekday = _next_weekday(snippet, base)
    if weekday is not None:
        return weekday
    import dateparser  # slow to import: only when a turn holds a date

    text = _DELAY.sub("dans ", snippet) if re.match(r"(?i)sous\s+\d", snippet) else snippet
    text = re.sub(r"(?i)(\d{1,2})\s*h(?![a-zé])\s*(\d{2})?", lambda m: f"{m.group(1)}:{m.group(2) or '00'}", text)
    return dateparser.parse(text, languages=["fr"], settings={**_SETTINGS, "RELATIVE_BASE": base})


def find_dates(text: str, base: datetime | None = None, lang: str = "fr") -> list[DateOut]:
    """Dates, deadlines and delays of ``text``, each resolved when ``dateparser`` can."""
    if lang != "fr":
        return []
    base = base or datetime.now()
    out: list[DateOut] = []
    for m in load_lexicon(lang).find_cues(text, ("date_span",)):
        snippet = m.text.strip()
        end = _END_OF.search(snippet)
        kind = "deadline" if re.match(r"(?i)(?:d'ici|avant)", snippet) else (
            "delay" if re.match(r"(?i)(?:sous|dans)\s+\d", snippet) else "date")
        resolved: date | datetime | None = _end_of(end.group("what"), base) if end else None
        if resolved is None:
            try:
                resolved = _parse(re.sub(r"(?i)^(?:d'ici|avant) (?:le |la )?", "", snippet), base)
            except Exception:  # dateparser raises on odd inputs; the text is still kept
                resolved = None
        iso = None
        if isinstance(resolved, datetime):
            # « demain » resolves to the clock time the turn was said: a time nobody named is no time.
            timed = (resolved.hour or resolved.minute) and _HOUR.search(snippet)
            iso = resolved.isoformat(timespec="minutes") if timed else resolved.date().isoformat()
        elif isinstance(resolved, date):
            iso = resolved.isoformat()
        out.append(DateOut(text=snippet, iso=iso, kind=kind))
    return out
