"""Closing summary of a turn: recap markers, next steps (who, what, when) and coverage of the talk."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from scoring.extensions import markers_of
from scoring.reformulation import marker_points_elsewhere
from scoring.similarity import ContentBag, shared


def _dates_and_delays(text: str, lang: str) -> list[str]:
    """Dates, times and delays from ``scoring.numbers`` (another module: never let it break scoring)."""
    try:
        from scoring.numbers import extract_quantities

        return [q.text.strip(" .,;") for q in extract_quantities(text, lang) if q.kind in ("date", "duration", "time")]
    except Exception:
        return []


_WHO = {"fr": {"je": "moi", "j'": "moi", "nous": "nous", "on": "nous", "vous": "vous", "tu": "toi"},
        "en": {"i": "me", "we": "us", "you": "you", "i'll": "me", "we'll": "us", "you'll": "you"}}


@dataclass
class NextStep:
    """One commitment: who does it, the sentence saying what, and when (text of dates/delays)."""

    who: str | None
    what: str
    when: list[str] = field(default_factory=list)


@dataclass
class SummaryResult:
    """Recap markers found, next steps, and coverage of the previous turns' content words."""

    is_summary: bool = False
    markers: list[str] = field(default_factory=list)
    next_steps: list[NextStep] = field(default_factory=list)
    coverage: float | None = None


def next_steps_of(doc: Doc, lang: str) -> list[NextStep]:
    """Sentences holding a next-step marker, with their subject pronoun and dates/delays."""
    steps: list[NextStep] = []
    seen: set[int] = set()
    for m in markers_of(doc, "next_step"):
        sent = m.sent
        if sent.start in seen:
            continue
        seen.add(sent.start)
        who = None
        for tok in sent:
            if tok.lower_ in _WHO.get(lang, {}):
                who = _WHO[lang][tok.lower_]
                break
        when = _dates_and_delays(sent.text, lang)
        when += [t.text for t in sent if t.lower_ in _DAY_WORDS]
        steps.append(NextStep(who=who, what=sent.text.strip(), when=sorted(set(when))))
    return steps


_DAY_WORDS = {"demain", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "tomorrow", "monday", "tuesday",
              "wednesday", "thursday", "friday"}


def detect_summary(doc: Doc, bag: ContentBag, context_bags: list[ContentBag], lang: str,
                   min_coverage: float = 0.25) -> SummaryResult:
    """A recap marker, or a next step with a concrete date/delay, makes a closing summary.

    Thanks and goodbyes alone (« merci, à bientôt ») are a conclusion without synthesis.
    """
    # « Si je résume ce que vous me dites… » reformulates the other person: not a closing recap.
    echoes = markers_of(doc, "reformulation_strong")
    recap = [m for m in markers_of(doc, "summary")
             if not any(e.start <= m.start < e.end or m.start <= e.start <= m.end + 1 for e in echoes)]
    steps = next_steps_of(doc, lang)
    res = SummaryResult(markers=[m.text for m in recap], next_steps=steps)
    if context_bags:
        talk = ContentBag(
            frozenset().union(*(b.keys for b in context_bags)), None,
            frozenset().union(*(b.forms for b in context_bags)),
            tuple(p for b in context_bags for p in b.pairs), None, frozenset(),
            frozenset().union(*(b.folded for b in context_bags)),
        )
        # Share of the words said before that the turn takes up (by lemma, form or plural folding).
        res.coverage = round(len(shared(talk, bag)) / len(talk.keys), 3) if talk.keys else None
    dated = any(s.when for s in steps)
    covered = res.coverage is not None and res.coverage >= min_coverage
    # A closing recap lists several points (« livraison en mars, paiement à 60 jours, révision… »); the
    # conversation it recaps may lie beyond the context given, so a list stands for coverage.
    text = doc.text
    listed = text.count(";") >= 2 or (":" in text and text.count(",") + text.count(";") >= 2)
    own = [m for m in recap if marker_points_elsewhere(m)]
    recap = [m for m in recap if m not in own]
    # One next step in one sentence (« Je vous rappelle jeudi, comme convenu. ») confirms, it does not recap.
    stepped = len(steps) >= 2 or (bool(steps) and len(list(doc.sents)) >= 2)
    res.is_summary = (bool(recap) and (not context_bags or covered or stepped or listed or len(recap) >= 2)) or (
        dated and covered and (len(steps) >= 2 or listed) and not own)
    return res
