"""Marker matcher component: finds lexicon markers (regex per family) and stores them as spans."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from scoring.extensions import register_extensions
from scoring.lexicon import Lexicon, load_lexicon


class MarkerMatcher:
    """Set ``doc._.markers``: one span per marker occurrence, ``span.label_`` names its family.

    Regexes rather than a PhraseMatcher because markers need small variations (tu/vous, gender,
    optional words) that would otherwise multiply the phrase lists.
    """

    def __init__(self, nlp: Language, name: str, lexicon: str) -> None:
        register_extensions()
        self.name = name
        self.lexicon: Lexicon = load_lexicon(lexicon or nlp.lang)

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for m in self.lexicon.find(doc.text):
            span = doc.char_span(m.start, m.end, alignment_mode="expand", label=m.family)
            if span is None or len(span) == 0:
                continue
            spans.append(span)
        doc._.markers = spans
        return doc


@Language.factory("scoring_markers", default_config={"lexicon": ""})
def make_marker_matcher(nlp: Language, name: str, lexicon: str) -> MarkerMatcher:
    """Factory: ``lexicon`` is a language code; empty means the pipeline's language."""
    return MarkerMatcher(nlp, name, lexicon)
