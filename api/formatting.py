"""French as France writes it, in one place: the pages (Jinja filters), the PDF grid and the CSV export.

Why one module: numbers, dates, plurals and the words shown for stored codes were written ad hoc in
each template and export, so the same thing read « 2.40 » here and « 2,4 » there, times were UTC
on screen, and raw codes (« no_deal », « decouverte ») leaked. Everything a user reads about a value
goes through here, on babel's fr_FR data:

- decimal comma and narrow no-break spaces (``number``, ``percent``);
- dates and times stored in UTC, shown in the zone of the ``DISPLAY_TIMEZONE`` setting (Europe/Paris);
- real plurals (``count(14, "question")`` → « 14 questions », « 1 session », « 0 suite »);
- French labels for every code the pages show (outcomes, stages, modes, roles, thresholds…);
- role words from the persona's speaker data (« Interlocutrice » when the speaker is a woman);
- inclusive writing used the same way everywhere (« candidat·e », « juré·e »).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime
from babel.numbers import format_decimal

from personas.schema import OUTCOME_LABELS as PERSONA_OUTCOME_LABELS

LOCALE = Locale("fr", "FR")
DEFAULT_TIMEZONE = "Europe/Paris"
_zone: ZoneInfo = ZoneInfo(DEFAULT_TIMEZONE)

# --- labels for stored codes ----------------------------------------------------------------------

OUTCOME_LABELS = PERSONA_OUTCOME_LABELS  # defined next to the outcome codes (personas/schema.py)
STAGE_LABELS = {"decouverte": "découverte", "argumentation": "argumentation", "negociation": "négociation",
                "conclusion": "conclusion"}
BLOC_LABELS = {2: "Bloc 2 · prospection et relation client", 4: "Bloc 4 · négociation complexe",
               5: "Bloc 5 · management d'équipe (médiation, entretien individuel)"}
PERSONA_ROLE_LABELS = {"client": "client", "cliente": "cliente", "prospect": "prospect", "acheteur": "acheteur",
                       "acheteuse": "acheteuse", "equipe": "équipe", "fournisseur": "fournisseur"}
THRESHOLD_LABELS = {"opening": "ouverture de l'acheteur", "target": "cible de l'acheteur",
                    "walk_away": "limite de l'acheteur (rupture)", "candidate_floor": "plancher du candidat·e",
                    "candidate_list_price": "prix catalogue du candidat·e"}
MODE_LABELS = {"practice": "entraînement", "exam": "examen", "trial": "essai", "import": "importée"}
STATE_LABELS = {"open": "ouvert", "upcoming": "à venir", "closed": "fermé", "exhausted": "tentatives épuisées"}
ENDED_LABELS = {"candidate": "terminée par le candidat·e", "time_up": "temps écoulé",
                "persona": "terminée par le persona"}
ROLE_LABELS = {"admin": "administrateur·rice", "trainer": "formateur·rice", "juror": "juré·e",
               "candidate": "candidat·e"}
CANDIDATE = "Candidat·e"  # how a candidate is named wherever their name is not shown
YOU = "Vous"  # the candidate's own turns, live and after reload

FEMININE_ROLE_WORDS = ("directrice", "acheteuse", "commerciale", "cheffe", "gérante", "présidente",
                       "responsable commerciale", "conseillère", "assistante", "technicienne", "dirigeante")


def label(labels: Mapping[Any, str], code: Any) -> str:
    """The French word for a code; an unknown code is shown readable (underscores as spaces) rather than raw."""
    if code is None or code == "":
        return "—"
    value = labels.get(code)
    if value is None and isinstance(code, str):
        value = labels.get(code.lower())
    return value if value is not None else str(code).replace("_", " ")


def outcome(code: Any) -> str:
    return label(OUTCOME_LABELS, code)


def stage(code: Any) -> str:
    return label(STAGE_LABELS, code)


def persona_role(code: Any) -> str:
    return label(PERSONA_ROLE_LABELS, code)


def bloc(value: Any) -> str:
    try:
        return BLOC_LABELS.get(int(value), f"Bloc {value}")
    except (TypeError, ValueError):
        return f"Bloc {value}"


# --- numbers ------------------------------------------------------------------------------------------

def number(value: Any, digits: int = 2, fixed: bool = False) -> str:
    """« 2,4 » (or « 2,40 » with ``fixed``); « — » for a missing value. Thousands take a narrow space."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return "—"
    pattern = "#,##0" + (("." + ("0" if fixed else "#") * digits) if digits else "")
    return str(format_decimal(value, format=pattern, locale=LOCALE))


def percent(share: Any) -> str:
    """A share (0.33) as « 33 % » with the no-break space French uses before the sign."""
    if share is None or isinstance(share, bool) or not isinstance(share, int | float):
        return "—"
    return f"{round(100 * share)}\u00a0%"


def average(value: Any) -> str:
    """A grid level out of 3, as the report and the progress page both show it: « 2,40/3 »."""
    return "—" if value is None else f"{number(value, 2, fixed=True)}/3"


# --- plurals ------------------------------------------------------------------------------------------

def plural_of(word: str) -> str:
    """The regular French plural of a noun or adjective, enough for the words the site uses."""
    if word.endswith(("s", "x", "z")):
        return word
    if word.endswith(("au", "eu")):
        return word + "x"
    if word.endswith("al") and word not in {"final", "bal"}:
        return word[:-2] + "aux"
    return word + "s"


def agree(n: int, singular: str, plural: str | None = None) -> str:
    """The word that agrees with ``n`` (French: 0 and 1 take the singular)."""
    if LOCALE.plural_form(abs(n)) == "one":
        return singular
    if plural is not None:
        return plural
    return " ".join(plural_of(w) if "·" not in w else w for w in singular.split(" "))


def count(n: Any, singular: str, plural: str | None = None) -> str:
    """« 14 questions », « 1 session », « 0 grille signée »."""
    value = int(n or 0)
    return f"{number(value, 0)} {agree(value, singular, plural)}"


_TOKEN = re.compile(r"\d[\d\u202f\u00a0]*(?:[.,]\d+)?|[\w'’·-]+\((?:e)?s\)")


def fix_plurals(text: Any) -> str:
    """Text written with « (s) » (the scorer's rationales, stored in past reports: « 0 suite(s) à donner »,
    « 2 intervention(s) agressive(s) ») made to agree with the number before it."""
    if not isinstance(text, str) or "(" not in text:
        return "" if text is None else str(text)
    last = 2

    def replace(match: re.Match[str]) -> str:
        nonlocal last
        token = match.group(0)
        if token[0].isdigit():
            digits = re.sub(r"[^\d]", "", token.split(",")[0].split(".")[0])
            last = int(digits) if digits else 2
            return token
        stem, suffix = token.split("(", 1)
        if LOCALE.plural_form(last) == "one":
            return stem
        return stem + ("es" if suffix.startswith("e") else "s")

    return _TOKEN.sub(replace, text)


# --- dates and times ------------------------------------------------------------------------------------

def set_timezone(name: str) -> None:
    """Called once by the app with the DISPLAY_TIMEZONE setting (validated by api/config.py)."""
    global _zone
    _zone = ZoneInfo(name)


def timezone() -> ZoneInfo:
    return _zone


def _moment(value: Any) -> datetime | None:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)  # every stored time is UTC


def date_time(value: Any, empty: str = "—") -> str:
    """« 04/12/2026 à 05:04 » in the display zone."""
    moment = _moment(value)
    if moment is None:
        return empty
    return str(format_datetime(moment, "dd/MM/yyyy 'à' HH:mm", tzinfo=_zone, locale=LOCALE))


def date_only(value: Any, empty: str = "—") -> str:
    moment = _moment(value)
    return empty if moment is None else str(format_datetime(moment, "dd/MM/yyyy", tzinfo=_zone, locale=LOCALE))


def csv_date_time(value: Any) -> str:
    """For spreadsheets: « 04/12/2026 05:04 », which LibreOffice and Excel in French read as a date."""
    moment = _moment(value)
    return "" if moment is None else str(format_datetime(moment, "dd/MM/yyyy HH:mm", tzinfo=_zone, locale=LOCALE))


def local_input(value: Any) -> str:
    """A stored UTC time as the value of an <input type="datetime-local"> in the display zone."""
    moment = _moment(value)
    return "" if moment is None else moment.astimezone(_zone).strftime("%Y-%m-%dT%H:%M")


def from_local_input(text: str) -> datetime | None:
    """What a trainer typed in a datetime-local field (display zone) as an aware UTC time; ValueError if
    it is not a date."""
    if not text.strip():
        return None
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_zone)
    return moment.astimezone(UTC)


def zone_name() -> str:
    """« heure de Paris » for Europe/Paris, the zone's name otherwise (shown next to time fields)."""
    key = _zone.key
    return "heure de Paris" if key == "Europe/Paris" else f"fuseau {key}"


# --- people -------------------------------------------------------------------------------------------

def is_feminine(speaker: Any) -> bool:
    """From the persona's speaker data: an explicit ``gender: f``, else a feminine role word
    (« Directrice des opérations »)."""
    gender = _get(speaker, "gender")
    if gender:
        return str(gender).lower() in {"f", "feminine", "féminin", "femme"}
    role = str(_get(speaker, "role") or "").lower()
    return role.startswith(FEMININE_ROLE_WORDS)


def interlocutor(speakers: Iterable[Any]) -> str:
    """« Interlocuteur », « Interlocutrice », « Interlocutrices » or « Interlocuteurs », from the speakers."""
    people = list(speakers)
    feminine = bool(people) and all(is_feminine(s) for s in people)
    word = "Interlocutrice" if feminine else "Interlocuteur"
    return word + ("s" if len(people) > 1 else "")


def speaker_label(turn: Any, viewer_is_candidate: bool) -> str:
    """The name over a turn, the same live and after reload: « Vous » for the candidate reading their own
    session; for anyone else the stored name (« Candidat·e » in a chat, the name said in an imported
    transcript, already hidden for a juror marking blind); the persona's name for the persona."""
    if _get(turn, "speaker_role") == "candidate":
        return YOU if viewer_is_candidate else str(_get(turn, "speaker_name") or CANDIDATE)
    return str(_get(turn, "speaker_name") or "")


def _get(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, Mapping) else getattr(item, key, None)


# --- the report's French summary -----------------------------------------------------------------------

def report_summary(report: Mapping[str, Any]) -> str:
    """The report's summary written from its figures, in inclusive writing and with real plurals.

    Why not the stored ``summary_fr``: reports already stored say « Le candidat… Il a posé 14
    question(s) » with a decimal point; the figures it was written from are in the report, so every
    report reads the same, old or new."""
    conv = report.get("conversation") or {}
    if not conv:
        return str(report.get("summary_fr") or "")
    questions = int(conv.get("questions") or 0)
    parts = [
        f"Prises de parole du candidat·e : {int(conv.get('candidate_turns') or 0)} "
        f"({percent(conv.get('talk_share_words') or 0)} des mots).",
        f"{count(questions, 'question posée', 'questions posées')}, dont "
        f"{count(conv.get('open_questions'), 'ouverte', 'ouvertes')} et "
        f"{count(conv.get('closed_questions'), 'fermée', 'fermées')} ; "
        f"{count(conv.get('reformulations'), 'reformulation')}.",
    ]
    closing = conv.get("closing_summary") or {}
    if isinstance(closing, Mapping) and closing.get("present"):
        coverage = closing.get("coverage")
        cover = f", couvrant {percent(coverage)} des sujets abordés" if isinstance(coverage, int | float) else ""
        dated = " avec des suites datées." if closing.get("has_deadline") else "."
        parts.append(f"L'échange se termine par une synthèse{cover}{dated}")
    else:
        parts.append("L'échange ne se termine pas par une synthèse.")
    grid = report.get("grid") or {}
    if grid:
        overall = grid_average(report)
        evaluated = int(grid.get("evaluated") or 0)
        for_jury = int(grid.get("for_jury") or 0)
        if overall is not None:
            parts.append(f"Grille du bloc {grid.get('bloc') or report.get('bloc')} : niveau moyen {average(overall)} "
                         f"sur {count(evaluated, 'critère mesuré', 'critères mesurés')}, "
                         f"{count(for_jury, 'critère', 'critères')} à évaluer par le jury.")
        else:
            parts.append(f"Grille du bloc {grid.get('bloc') or report.get('bloc')} : aucun critère mesurable, "
                         "évaluation par le jury.")
    return " ".join(parts)


def grid_average(report: Mapping[str, Any] | None) -> float | None:
    """The one average of an automatic grid, used by the report and the progress page alike: the
    scorer's weighted ``overall`` when stored, else the weighted mean of the measured levels."""
    grid = (report or {}).get("grid") or {}
    overall = grid.get("overall")
    if isinstance(overall, int | float) and not isinstance(overall, bool):
        return round(float(overall), 2)
    measured = [(float(i.get("weight") or 1.0), float(i["level"])) for i in grid.get("items") or []
                if isinstance(i, Mapping) and isinstance(i.get("level"), int | float)]
    total = sum(w for w, _ in measured)
    return round(sum(w * level for w, level in measured) / total, 2) if total else None


FILTERS = {
    "date_fr": date_time, "date_only": date_only, "number_fr": number, "percent_fr": percent,
    "average_fr": average, "outcome_fr": outcome, "stage_fr": stage, "persona_role_fr": persona_role,
    "bloc_fr": bloc, "local_input": local_input, "plurals": fix_plurals,
}
GLOBALS = {"count": count, "agree": agree, "interlocutor": interlocutor, "speaker_label": speaker_label,
           "label": label, "threshold_labels": THRESHOLD_LABELS, "zone_name": zone_name,
           "report_summary": report_summary, "grid_average": grid_average}
