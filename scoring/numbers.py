"""Extract and normalise figures written by candidates (amounts, %, durations, dates, counts).

Pure and fast (regular expressions only, no spaCy) because both the persona engine (on every turn)
and the scoring package need the same reading of « 12k€ » or « sous 48h »; one implementation
keeps the persona and the report from disagreeing about what the candidate offered.

French is the main language; English (``lang="en"``) is read with its own conventions
(« $12,000 », « 3 weeks », « March 15 »), because the scoring package also reports on English
transcripts and « 12,000 » means twelve thousand there, not twelve.

Conventions of the normalised values:

- amount: ``value`` in the currency unit (``12k€`` → 12000.0), ``unit`` ``"EUR"``, ``"USD"`` or
  ``"GBP"``, ``qualifier`` ``"HT"``/``"TTC"`` when written.
- percentage: ``value`` in percent (``15 %`` → 15.0), ``unit`` ``"%"``.
- duration: ``value`` in the unit written, ``unit`` one of ``minute, hour, day, week, month, year``.
- date: ``value`` is ``MMDD`` (or ``YYYYMMDD`` when the year is written) as a float, ``unit`` the
  ISO form ``--MM-DD`` or ``YYYY-MM-DD``.
- quantity: ``value`` the count, ``unit`` the noun as written in lower case (``"licences"``), or
  ``None`` for a bare number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

from text_to_num import alpha2digit

QuantityKind = Literal["amount", "percentage", "duration", "date", "quantity"]


@dataclass(frozen=True)
class Quantity:
    """One figure found in a text, with its character span so callers can highlight it."""

    kind: QuantityKind
    value: float
    unit: str | None
    start: int
    end: int
    text: str
    qualifier: str | None = None
    period: str | None = None  # amounts: « par an » → "year", « /mois » → "month", « par véhicule » → "unit"


_SEP = r"[ \u00a0\u202f]"
_LEFT = r"(?<![\w.,])"


@dataclass(frozen=True)
class _Language:
    """The words and number conventions of one language."""

    word_numbers: dict[str, float]
    articles: frozenset[str]  # number words that are usually articles (« un », « a »)
    months: dict[str, int]
    durations: dict[str, str]
    not_a_unit: frozenset[str]
    multipliers: dict[str, float]  # lower-cased multiplier word → factor
    currencies: dict[str, str]  # currency token → ISO code
    currency_multipliers: dict[str, float]  # « k€ », « M€ » carry their own factor
    percent_words: str
    thousands: str  # regex of the thousands separator(s)
    decimal: str  # the decimal mark
    first_day: frozenset[str]  # « 1er », « premier », « 1st »


_FR = _Language(
    word_numbers={
        "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
        "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
        "quinze": 15, "seize": 16, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50,
        "soixante": 60, "cent": 100, "mille": 1000,
    },
    articles=frozenset({"un", "une"}),
    months={
        "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "mars": 3,
        "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8,
        "septembre": 9, "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11,
        "décembre": 12, "decembre": 12, "déc": 12, "dec": 12,
    },
    durations={
        "min": "minute", "mn": "minute", "minute": "minute", "minutes": "minute",
        "h": "hour", "heure": "hour", "heures": "hour",
        "j": "day", "jour": "day", "jours": "day", "journée": "day", "journées": "day",
        "semaine": "week", "semaines": "week", "sem": "week",
        "mois": "month",
        "an": "year", "ans": "year", "année": "year", "années": "year",
    },
    not_a_unit=frozenset({
        "de", "du", "des", "à", "a", "et", "ou", "le", "la", "les", "en", "au", "aux", "sur", "pour",
        "par", "fois", "je", "vous", "nous", "on", "il", "elle", "ils", "qui", "que", "ce", "cette",
        "est", "sont", "plus", "moins", "avec", "sans", "dans", "ça", "pas", "ne", "mais", "donc",
        # pronouns, conjunctions, adverbs and verbs that follow a figure in talk: never what it counts
        "ca", "c", "comme", "si", "alors", "oui", "non", "ok", "voire", "soit", "sinon", "puis", "quand",
        "tu", "te", "me", "mon", "ma", "ta", "ton", "notre", "votre", "nos", "vos", "leur", "y", "là",
        "ici", "hein", "max", "maxi", "min", "mini", "pile", "net", "cash", "chacun", "chacune", "tout",
        "environ", "contre", "seulement", "minimum", "maximum", "près", "serait", "sera", "était", "va",
        "ira", "irait", "passe", "passera", "passerait", "marche", "suffit", "suffira", "convient",
        "sorry", "then",
    }),
    multipliers={"k": 1e3, "mille": 1e3, "m": 1e6, "million": 1e6, "millions": 1e6, "md": 1e9,
                 "milliard": 1e9, "milliards": 1e9},
    currencies={"€": "EUR", "euro": "EUR", "euros": "EUR", "eur": "EUR", "keur": "EUR", "k€": "EUR",
                "m€": "EUR", "balles": "EUR"},
    currency_multipliers={"keur": 1e3, "k€": 1e3, "m€": 1e6},
    percent_words=rf"%|pour{_SEP}*cents?|pourcents?",
    thousands=rf"(?:{_SEP}|\.)",
    decimal=",",
    first_day=frozenset({"1er", "premier"}),
)  # fmt: skip

_EN = _Language(
    word_numbers={
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
        "forty": 40, "fifty": 50, "sixty": 60, "hundred": 100, "thousand": 1000,
    },
    articles=frozenset({"one"}),
    months={
        "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
        "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
        "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    },
    durations={
        "min": "minute", "mins": "minute", "minute": "minute", "minutes": "minute",
        "h": "hour", "hr": "hour", "hrs": "hour", "hour": "hour", "hours": "hour",
        "day": "day", "days": "day", "week": "week", "weeks": "week", "wk": "week", "wks": "week",
        "month": "month", "months": "month", "year": "year", "years": "year", "yr": "year", "yrs": "year",
    },
    not_a_unit=frozenset({
        "of", "and", "or", "the", "a", "an", "to", "in", "on", "for", "per", "by", "with", "times", "i",
        "you", "we", "it", "is", "are", "more", "less", "but", "so", "at", "from", "as", "that", "this",
    }),
    multipliers={"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "millions": 1e6, "bn": 1e9,
                 "billion": 1e9, "billions": 1e9},
    currencies={"€": "EUR", "euro": "EUR", "euros": "EUR", "eur": "EUR", "$": "USD", "usd": "USD",
                "dollar": "USD", "dollars": "USD", "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP"},
    currency_multipliers={},
    percent_words=rf"%|per{_SEP}*cent|percent",
    thousands=r",",
    decimal=".",
    first_day=frozenset({"1st", "first"}),
)  # fmt: skip

_LANGUAGES = {"fr": _FR, "en": _EN}


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class _Grammar:
    lang: _Language
    number: str
    amount: re.Pattern[str]
    amount_prefix: re.Pattern[str]
    percent: re.Pattern[str]
    date_day_month: re.Pattern[str]
    date_month_day: re.Pattern[str] | None
    date_numeric: re.Pattern[str]
    duration: re.Pattern[str]
    quantity: re.Pattern[str]


@lru_cache(maxsize=4)
def _grammar(code: str) -> _Grammar:
    """Compile the patterns of one language once per process."""
    lang = _LANGUAGES.get(code[:2].lower(), _FR)
    dec = re.escape(lang.decimal)
    grouped = rf"\d{{1,3}}(?:{lang.thousands}\d{{3}})+(?:{dec}\d+)?"
    # In French « 12.5 » is read as a decimal too: candidates mix conventions.
    plain = r"\d+(?:[.,]\d+)?" if lang is _FR else rf"\d+(?:{dec}\d+)?"
    number = rf"(?:{grouped}|{plain})"
    num_or_word = rf"(?:{number}|(?:{_alternatives(lang.word_numbers)}))"
    mult = rf"(?P<mult>{_alternatives({*lang.multipliers, 'K', 'M', 'Md'})})"
    currency = _alternatives({*lang.currencies, *(c.upper() for c in lang.currencies), "K€", "M€"})
    amount = re.compile(
        rf"{_LEFT}(?P<num>{num_or_word}){_SEP}*"
        rf"(?:(?:{mult}{_SEP}*(?:d['’]{_SEP}*|of{_SEP}+)?(?P<cur>{currency})?)|(?:d['’]{_SEP}*)?(?P<cur2>{currency}))"
        rf"(?:{_SEP}*(?P<tax>HT|TTC|ht|ttc)\b)?"
        r"(?!\w)"
    )
    prefix_symbols = "€$£"
    amount_prefix = re.compile(
        rf"(?P<cur>[{prefix_symbols}]){_SEP}*(?P<num>{number})(?:{_SEP}*(?P<mult>{_alternatives(lang.multipliers)}|K|M))?(?!\w)",
        re.IGNORECASE,
    )
    months = _alternatives(lang.months)
    first = _alternatives(lang.first_day)
    day = rf"(?P<day>\d{{1,2}}(?:st|nd|rd|th)?|{first})"
    date_day_month = re.compile(
        rf"(?i){_LEFT}{day}{_SEP}+(?:of{_SEP}+)?(?P<month>{months})\.?(?!\w)(?:,?{_SEP}+(?P<year>\d{{4}}))?"
    )
    date_month_day = None
    if lang is _EN:
        date_month_day = re.compile(
            rf"(?i)(?<!\w)(?P<month>{months})\.?{_SEP}+{day}(?!\w)(?:,?{_SEP}+(?P<year>\d{{4}}))?"
        )
    return _Grammar(
        lang=lang,
        number=number,
        amount=amount,
        amount_prefix=amount_prefix,
        percent=re.compile(rf"(?i){_LEFT}(?P<num>{num_or_word}){_SEP}*(?:{lang.percent_words})"),
        date_day_month=date_day_month,
        date_month_day=date_month_day,
        date_numeric=re.compile(r"(?<![\w/])(?P<day>\d{1,2})/(?P<month>\d{1,2})(?:/(?P<year>\d{2,4}))?(?![\w/])"),
        duration=re.compile(
            rf"(?i){_LEFT}(?P<num>{num_or_word}){_SEP}*(?P<unit>{_alternatives(lang.durations)})(?!\w)"
        ),
        quantity=re.compile(rf"(?i){_LEFT}(?P<num>{num_or_word})(?:{_SEP}+(?P<noun>[^\W\d_][\w'’-]*))?(?![\w%€$£])"),
    )


def parse_number(raw: str, lang: str = "fr") -> float | None:
    """Read a written number (« 12 000 », « 12.000 », « 1,5 », « trois »; « 12,000 » in English)."""
    grammar = _grammar(lang)
    token = raw.strip().lower()
    if token in grammar.lang.word_numbers:
        return float(grammar.lang.word_numbers[token])
    token = re.sub(_SEP, "", token)
    if grammar.lang is _EN:
        token = token.replace(",", "")
    else:
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", token):
            token = token.replace(".", "")
        token = token.replace(",", ".")
    try:
        return float(token)
    except ValueError:
        return None


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _date_value(day: int, month: int, year: int | None) -> tuple[float, str] | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if year is not None:
        if year < 100:
            year += 2000
        return float(year * 10000 + month * 100 + day), f"{year:04d}-{month:02d}-{day:02d}"
    return float(month * 100 + day), f"--{month:02d}-{day:02d}"


def _day_number(raw: str, lang: _Language) -> int:
    low = raw.lower()
    if low in lang.first_day:
        return 1
    return int(re.sub(r"\D", "", low))


class _Collector:
    """Keeps found quantities and the spans already used (earlier patterns win)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: list[Quantity] = []
        self.taken: list[tuple[int, int]] = []

    def add(
        self, kind: QuantityKind, start: int, end: int, value: float, unit: str | None, qual: str | None = None
    ) -> None:
        if _overlaps((start, end), self.taken):
            return
        self.taken.append((start, end))
        self.found.append(Quantity(kind, value, unit, start, end, self.text[start:end], qual))


def _amounts(g: _Grammar, out: _Collector) -> None:
    lang = g.lang
    for m in g.amount_prefix.finditer(out.text):
        num = parse_number(m.group("num"), "en" if lang is _EN else "fr")
        if num is None:
            continue
        mult = m.group("mult")
        factor = 1.0
        if mult:
            factor = 1e6 if mult == "M" else lang.multipliers.get(mult.lower(), 1.0)
        code = {"€": "EUR", "$": "USD", "£": "GBP"}[m.group("cur")]
        out.add("amount", m.start(), m.end(), num * factor, code)
    for m in g.amount.finditer(out.text):
        num = parse_number(m.group("num"), "en" if lang is _EN else "fr")
        if num is None:
            continue
        mult = m.group("mult")
        cur = m.group("cur") or m.group("cur2")
        if not cur and (mult is None or mult.lower() in {"mille", "thousand"}):
            continue  # « trois mille personnes » is a count; « 150k » alone is money
        factor = lang.multipliers.get(mult.lower(), 1.0) if mult else 1.0
        if mult in {"M", "Md"}:
            factor = 1e6 if mult == "M" else 1e9
        if cur:
            factor *= lang.currency_multipliers.get(cur.lower(), 1.0)
        code = lang.currencies.get(cur.lower(), "EUR") if cur else "EUR"
        tax = m.group("tax")
        out.add("amount", m.start(), m.end(), num * factor, code, tax.upper() if tax else None)
    out.found = [_with_period(q, out.text) for q in out.found]


def _with_period(q: Quantity, text: str) -> Quantity:
    """« 212 000 € HT par an », « 689 € /mois », « 38 € par véhicule »: what the amount is counted per."""
    if q.kind != "amount":
        return q
    rest = text[q.end : q.end + 40]
    m = _PERIOD.match(rest)
    if m:
        word = m.group("p").lower()
        return replace(q, period=_PERIOD_OF.get(word, "unit"))
    if _ANNUAL.match(rest):
        return replace(q, period="year")
    return q


def _dates(g: _Grammar, out: _Collector) -> None:
    patterns = [g.date_day_month, *([g.date_month_day] if g.date_month_day else [])]
    for pattern in patterns:
        for m in pattern.finditer(out.text):
            month = g.lang.months[m.group("month").lower()]
            year = int(m.group("year")) if m.group("year") else None
            parsed = _date_value(_day_number(m.group("day"), g.lang), month, year)
            if parsed:
                out.add("date", m.start(), m.end(), parsed[0], parsed[1])
    for m in g.date_numeric.finditer(out.text):
        first, second = int(m.group("day")), int(m.group("month"))
        day, month = (second, first) if g.lang is _EN and first <= 12 < second else (first, second)
        year = int(m.group("year")) if m.group("year") else None
        parsed = _date_value(day, month, year)
        if parsed:
            out.add("date", m.start(), m.end(), parsed[0], parsed[1])


# French number words worth handing to text2num (« deux cent vingt-cinq mille », « quatre-vingts »).
_FR_NUMBER_WORD = re.compile(
    r"(?i)(?<!\w)(?:deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|"
    r"vingts?|trente|quarante|cinquante|soixante|cents?|mille|millions?|milliards?)(?!\w)"
)
_FR_PROTECT = (
    (re.compile(r"(?i)(?<!\w)pour[ \u00a0\u202f-]?cents?(?!\w)"), "%"),  # text2num would write « pour 100 »
    (re.compile(r"(?i)(\d)[ \u00a0\u202f]*milliards?(?!\w)"), r"\1 Md"),  # « 1,2 milliard »
    (re.compile(r"(?i)(\d)[ \u00a0\u202f]*millions?(?!\w)"), r"\1 M"),  # « 1,2 million » stays 1.2 M
)
_PERIOD = re.compile(
    r"(?i)^[ \u00a0\u202f]*(?:HT|TTC)?[ \u00a0\u202f]*(?:/|par|l['’]|le|la|chaque)[ \u00a0\u202f]*"
    r"(?P<p>an|année|annee|ans|mois|mensuel|trimestre|semaine|jour|unité|unite|véhicule|vehicule|pièce|piece|"
    r"licence|poste|utilisateur|camion|logement)(?!\w)"
)
_PERIOD_OF = {"an": "year", "année": "year", "annee": "year", "ans": "year", "mois": "month", "mensuel": "month",
              "trimestre": "quarter", "semaine": "week", "jour": "day"}
_ANNUAL = re.compile(r"(?i)^[ \u00a0\u202f]*(?:HT|TTC)?[ \u00a0\u202f]*(?:annuels?|/an|par an)(?!\w)")


def spell_out_digits(text: str) -> tuple[str, list[tuple[int, int, int, int]]]:
    """French number words written as digits by ``text2num`` (« deux cent mille » → « 200000 »).

    Returns the converted text and the alignment opcodes (converted start, end, original start,
    end) that map a span found in the converted text back to the candidate's own words.
    """
    converted = text
    for pattern, repl in _FR_PROTECT:
        converted = pattern.sub(repl, converted)
    if _FR_NUMBER_WORD.search(converted):
        converted = alpha2digit(converted, "fr")
    if converted == text:
        return text, [(0, len(text), 0, len(text))]
    return converted, _align(converted, text)


_TOKEN = re.compile(r"\S+")


def _align(converted: str, text: str) -> list[tuple[int, int, int, int]]:
    """Alignment opcodes (converted start, end, original start, end) covering both strings.

    Why not one character-level ``SequenceMatcher`` over the whole turn: it is quadratic and made a
    long turn with number words cost several milliseconds (most of the persona engine's time). The
    conversion only rewrites number words, so whitespace-separated tokens are matched first and the
    characters are aligned only inside the token blocks that differ (a few words each).
    """
    conv_spans = [m.span() for m in _TOKEN.finditer(converted)]
    text_spans = [m.span() for m in _TOKEN.finditer(text)]
    blocks = SequenceMatcher(None, [converted[a:b] for a, b in conv_spans],
                             [text[a:b] for a, b in text_spans], autojunk=False).get_opcodes()

    def content(spans: list[tuple[int, int]], i1: int, i2: int, size: int) -> tuple[int, int, int]:
        """Start and end of the block's words, and where the next block starts (the gap between)."""
        start = 0 if i1 == 0 else spans[i1][0] if i1 < len(spans) else size
        words_end = spans[i2 - 1][1] if i2 > i1 else start
        return start, words_end, size if i2 >= len(spans) else spans[i2][0]

    ops: list[tuple[int, int, int, int]] = []
    for _tag, i1, i2, j1, j2 in blocks:
        c1, c_words, c2 = content(conv_spans, i1, i2, len(converted))
        o1, o_words, o2 = content(text_spans, j1, j2, len(text))
        if converted[c1:c_words] == text[o1:o_words]:
            ops.append((c1, c_words, o1, o_words))
        else:  # characters aligned inside the block's words only: a space never matches across words
            inner = SequenceMatcher(None, converted[c1:c_words], text[o1:o_words], autojunk=False).get_opcodes()
            ops.extend((c1 + a1, c1 + a2, o1 + b1, o1 + b2) for _t, a1, a2, b1, b2 in inner)
        if c2 > c_words or o2 > o_words:
            ops.append((c_words, c2, o_words, o2))
    return ops or [(0, len(converted), 0, len(text))]


def _to_original(pos: int, ops: list[tuple[int, int, int, int]], is_end: bool) -> int:
    for i1, i2, j1, j2 in ops:
        if i1 <= pos < i2 or (is_end and i1 < pos <= i2):
            if i2 - i1 == j2 - j1:
                return j1 + (pos - i1)
            return j2 if is_end else j1
    return ops[-1][3] if ops else pos


def extract_quantities(text: str, lang: str = "fr") -> list[Quantity]:
    """Return every figure in ``text`` in reading order, each span used at most once.

    French number words are turned into digits first (``text2num``), so « deux cent vingt-cinq
    mille euros » is read like « 225000 euros »; spans and ``text`` still refer to ``text``.
    """
    if _grammar(lang).lang is _EN:
        return _extract(text, lang)
    converted, ops = spell_out_digits(text)
    found = _extract(converted, lang)
    if converted is text or converted == text:
        return found
    out = []
    for q in found:
        start, end = _to_original(q.start, ops, False), _to_original(q.end, ops, True)
        out.append(replace(q, start=start, end=end, text=text[start:end]))
    return out


def _extract(text: str, lang: str) -> list[Quantity]:
    """The grammar proper, on text whose numbers are written in digits."""
    g = _grammar(lang)
    code = "en" if g.lang is _EN else "fr"
    out = _Collector(text)
    _amounts(g, out)
    for m in g.percent.finditer(text):
        num = parse_number(m.group("num"), code)
        if num is not None:
            out.add("percentage", m.start(), m.end(), num, "%")
    _dates(g, out)
    for m in g.duration.finditer(text):
        num = parse_number(m.group("num"), code)
        if num is not None:
            out.add("duration", m.start(), m.end(), num, g.lang.durations[m.group("unit").lower()])
    for m in g.quantity.finditer(text):
        num = parse_number(m.group("num"), code)
        if num is None:
            continue
        noun = m.group("noun")
        word = m.group("num").lower()
        if word in g.lang.articles or (word in g.lang.word_numbers and (not noun or noun.lower() in g.lang.not_a_unit)):
            continue  # articles and lone number words are not figures
        # « 640 c'est… », « 195 j'ai dit »: a contracted word (apostrophe) is never what a figure counts
        if noun and (noun.lower() in g.lang.not_a_unit or "'" in noun[:-1] or "’" in noun[:-1]):
            out.add("quantity", m.start("num"), m.end("num"), num, None)  # the bare number only
            continue
        out.add("quantity", m.start(), m.end(), num, noun.lower() if noun else None)
    return sorted(out.found, key=lambda q: q.start)


def first_amount(text: str, lang: str = "fr") -> float | None:
    """The first amount, falling back on a large bare number (« je vous propose 210 000 »).

    Why the fallback: in a price negotiation candidates often drop the currency; a bare number of at
    least 1 000 that is not a year is almost always money in that context.
    """
    quantities = extract_quantities(text, lang)
    for q in quantities:
        if q.kind == "amount":
            return q.value
    for q in quantities:
        if q.kind == "quantity" and q.unit is None and q.value >= 1000 and not _looks_like_year(q):
            return q.value
    return None


def _looks_like_year(q: Quantity) -> bool:
    return q.text.isdigit() and len(q.text) == 4 and 1900 <= q.value <= 2100
