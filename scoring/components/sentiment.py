"""Weak signal: sentiment polarity of a turn (textblob-fr PatternAnalyzer in French, TextBlob in English)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from scoring.extensions import register_extensions


@lru_cache(maxsize=2)
def _analyzer(lang: str) -> Any:
    """Pattern analysers hold a lexicon loaded from XML: build them once per process."""
    if lang == "fr":
        from textblob_fr import PatternAnalyzer as FrenchAnalyzer

        return FrenchAnalyzer()
    from textblob.en.sentiments import PatternAnalyzer as EnglishAnalyzer

    return EnglishAnalyzer()


def polarity(text: str, lang: str) -> tuple[float, float]:
    """(polarity in [-1, 1], subjectivity in [0, 1]); (0, 0) when the analyser cannot run."""
    try:
        result = _analyzer("fr" if lang == "fr" else "en").analyze(text)
    except Exception:
        return 0.0, 0.0
    return float(result[0]), float(result[1])


class SentimentTagger:
    """Set ``doc._.sentiment`` and ``doc._.subjectivity``."""

    def __init__(self, nlp: Language, name: str, enabled: bool) -> None:
        register_extensions()
        self.name = name
        self.lang = nlp.lang or "fr"
        self.enabled = enabled

    def __call__(self, doc: Doc) -> Doc:
        if self.enabled and doc.text.strip():
            doc._.sentiment, doc._.subjectivity = polarity(doc.text, self.lang)
        return doc


@Language.factory("scoring_sentiment", default_config={"enabled": True})
def make_sentiment(nlp: Language, name: str, enabled: bool) -> SentimentTagger:
    """Factory; ``enabled=False`` skips TextBlob when throughput matters more than weak signals."""
    return SentimentTagger(nlp, name, enabled)
