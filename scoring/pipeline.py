"""Loading of the spaCy pipelines, once per process and per language.

French uses ``fr_core_news_md`` without the parser and NER (a rule sentencizer is enough and halves
the cost); English uses ``spacy.blank("en")``: no English model may be downloaded.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import scoring.aggression_model
import scoring.components  # noqa: F401  (registers the factories)
from scoring.errors import ScoringInputError, check_language
from scoring.extensions import register_extensions

FR_MODEL = "fr_core_news_md"
SCORING_PIPES = ("scoring_markers", "scoring_questions", "scoring_assertiveness", "scoring_negotiation",
                 "scoring_sentiment")
# Pipes needed to get lemmas and vectors for context turns (no scoring components).
_LIGHT_PIPES = ("tok2vec", "morphologizer", "attribute_ruler", "lemmatizer")
_lock = threading.Lock()


def _build(lang: str, sentiment: bool) -> Language:
    register_extensions()
    if lang == "fr":
        try:
            nlp = spacy.load(FR_MODEL, exclude=["ner", "parser", "senter"])
        except OSError as exc:  # pragma: no cover - depends on the installed model
            raise ScoringInputError(
                f"Modèle spaCy {FR_MODEL} introuvable : installez-le avec les dépendances du projet.",
                f"spaCy model {FR_MODEL} not found: install it with the project dependencies.",
            ) from exc
    else:
        nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer", config={"punct_chars": [".", "!", "?", "…", "\n", ";"]})
    nlp.add_pipe("scoring_markers", config={"lexicon": lang})
    nlp.add_pipe("scoring_questions")
    nlp.add_pipe("scoring_assertiveness")
    nlp.add_pipe("scoring_negotiation")
    nlp.add_pipe("scoring_sentiment", config={"enabled": sentiment})
    if lang == "fr":
        nlp.add_pipe("scoring_aggression_model")  # fitted weights: what the marker lists miss
    return nlp


_cache: dict[tuple[str, bool], Language] = {}


def get_nlp(lang: str, sentiment: bool = True) -> Language:
    """The scoring pipeline for ``lang``, built once per process even under concurrent first calls
    (the API serves requests from a thread pool; loading the French model takes seconds)."""
    key = (check_language(lang), sentiment)
    nlp = _cache.get(key)
    if nlp is None:
        with _lock:
            nlp = _cache.get(key)
            if nlp is None:
                nlp = _cache[key] = _build(*key)
    return nlp


def token_docs(nlp: Language, texts: Iterable[str]) -> Iterator[Doc]:
    """Tokenizer-only docs: enough for surface forms and static word vectors, at a fraction of the
    cost. Used for context turns, which repeat a lot and only feed overlap and similarity."""
    for text in texts:
        yield nlp.make_doc(text)


def light_docs(nlp: Language, texts: Iterable[str], batch_size: int = 128) -> Iterator[Doc]:
    """Docs with lemmas and vectors only (for context turns), without the scoring components.

    Runs the pipes by hand instead of ``select_pipes`` so concurrent callers never see a pipeline
    with pipes disabled.
    """
    docs: Iterable[Doc] = (nlp.make_doc(t) for t in texts)
    for name in _LIGHT_PIPES:
        if name in nlp.pipe_names:
            proc = nlp.get_pipe(name)
            docs = proc.pipe(docs, batch_size=batch_size) if hasattr(proc, "pipe") else map(proc, docs)
    yield from docs
