"""Content-word overlap and vector similarity between two turns (for reformulation and coverage)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc

_CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM", "X", ""}
_EN_SUFFIXES = ("ingly", "edly", "ings", "ness", "ment", "ing", "ies", "ied", "ed", "ly", "es", "s")
_EXTRA_STOP = {
    "fr": {"être", "avoir", "faire", "aller", "pouvoir", "vouloir", "dire", "bien", "très", "plus", "alors",
           "donc", "oui", "non", "ça", "cela", "comprendre", "si", "vraiment", "aussi", "tout", "chose", "euh",
           "voir", "entendre", "sembler", "trop", "peu", "bonjour", "merci", "madame", "monsieur", "revoir",
           "exactement", "accord", "falloir", "mettre", "prendre", "donner", "venir", "savoir", "penser"},
    "en": {"yeah", "okay", "like", "know", "think", "really", "just", "get", "got", "kind", "sort", "thing",
           "things", "lot", "um", "uh", "mm", "hmm", "right", "well", "gonna", "want", "going", "sounds",
           "sound", "feel", "say", "said", "mean", "little", "bit", "pretty", "stuff", "guess", "yes", "oh",
           "mm-hmm", "hear", "seems", "seem", "maybe", "actually", "hello", "thanks", "thank"},
}
_WORD = re.compile(r"^[\w'-]+$")


def fold(word: str) -> str:
    """Light plural folding shared by both languages (« livraisons » → « livraison »)."""
    w = word.lower()
    if len(w) > 3 and w.endswith(("s", "x")) and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def stem(word: str, lang: str) -> str:
    """Crude English stemmer (no model available); French relies on spaCy lemmas."""
    w = word.lower().strip("'-")
    if lang != "en":
        return w
    if w.endswith("n't"):
        return w
    for suf in _EN_SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[: -len(suf)]
    return w


@dataclass(frozen=True)
class ContentBag:
    """Keys of the content words of a doc and their mean vector (None without vectors)."""

    keys: frozenset[str]
    vector: np.ndarray | None
    forms: frozenset[str] = frozenset()  # surface forms, so « fatigué » matches whatever its lemma
    pairs: tuple[tuple[str, str], ...] = ()
    unit_vectors: np.ndarray | None = None  # one normalised row per content word with a vector
    nouns: frozenset[str] = frozenset()  # keys of nouns (all keys when there is no tagger): topics
    folded: frozenset[str] = frozenset()  # plural-folded lemmas and forms, the loosest match


def content_bag(doc: Doc, lang: str) -> ContentBag:
    """Lemma (fr) or stem (en) keys of content words, and the mean vector of those words."""
    extra = _EXTRA_STOP.get(lang, set())
    keys: set[str] = set()
    forms: set[str] = set()
    pairs: dict[str, str] = {}
    nouns: set[str] = set()
    vectors = []
    for tok in doc:
        if tok.is_stop or tok.is_punct or tok.is_space or len(tok.text) < 3 or not _WORD.match(tok.text):
            continue
        if tok.pos_ and tok.pos_ not in _CONTENT_POS:
            continue
        lemma = (tok.lemma_ or tok.text).lower() if lang == "fr" else stem(tok.text, lang)
        if lemma in extra or tok.lower_ in extra:
            continue
        keys.add(lemma)
        forms.add(tok.lower_)
        pairs.setdefault(lemma, tok.lower_)
        if tok.pos_ in ("NOUN", "PROPN", ""):
            nouns.add(lemma)
        if tok.has_vector:
            vectors.append(tok.vector)
    vec = np.mean(np.asarray(vectors), axis=0) if vectors else None
    units = None
    if vectors:
        mat = np.asarray(vectors, dtype=np.float32)
        norms = np.linalg.norm(mat, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        units = mat / norms
    folded = frozenset(fold(w) for w in keys | forms)
    return ContentBag(frozenset(keys), vec, frozenset(forms), tuple(sorted(pairs.items())), units,
                      frozenset(nouns), folded)


def soft_overlap(a: ContentBag, b: ContentBag, threshold: float) -> float:
    """Share of ``a``'s content words (with vectors) that have a near-synonym in ``b``.

    « outil vieillissant » vs « vieux logiciel »: paraphrases share meaning, not lemmas.
    """
    if a.unit_vectors is None or b.unit_vectors is None:
        return 0.0
    sims = a.unit_vectors @ b.unit_vectors.T
    return float((sims.max(axis=1) >= threshold).mean())


def overlap(a: ContentBag, b: ContentBag) -> float:
    """Share of ``a``'s content words found in ``b`` (0 when ``a`` has none)."""
    if not a.keys:
        return 0.0
    return len(shared(a, b)) / len(a.keys)


def shared(a: ContentBag, b: ContentBag) -> set[str]:
    """Keys of ``a`` found in ``b`` by lemma or by surface form."""
    out = set(a.keys & b.keys)
    out |= {lemma for lemma, form in a.pairs if form in b.forms or form in b.keys or lemma in b.forms
            or fold(lemma) in b.folded or fold(form) in b.folded}
    return out


def cosine(a: ContentBag, b: ContentBag) -> float:
    """Cosine of mean content vectors (0 when either side has no vector)."""
    if a.vector is None or b.vector is None:
        return 0.0
    na = float(np.linalg.norm(a.vector))
    nb = float(np.linalg.norm(b.vector))
    if na == 0 or nb == 0:
        return 0.0
    return float(np.dot(a.vector, b.vector) / (na * nb))
