"""Per-turn annotation of candidate turns (the contract used by the bot, the API and the CLI).

``annotate_turns`` batches all turns of a call through ``nlp.pipe`` and processes every distinct
text once (context turns repeat a lot from one call item to the next).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, ClassVar

from spacy.language import Language
from spacy.tokens import Doc

from scoring.accuracy import check_reformulation
from scoring.addressee import addressee, stance
from scoring.amount_roles import offer_of, read_amounts
from scoring.dates import find_dates
from scoring.errors import ScoringInputError, check_language, check_text_size
from scoring.extensions import markers_of
from scoring.lexicon import load_lexicon
from scoring.pipeline import get_nlp, light_docs, token_docs
from scoring.question_subtype import is_relance, is_stakeholder_question, question_subtype
from scoring.reformulation import ReformulationEvidence, config_for, detect_reformulation, reformulation_evidence
from scoring.reformulation_model import shipped_model
from scoring.schema import (
    NEAR_CONTEXT_TURNS,
    READING_CONTEXT_TURNS,
    AmountOut,
    AnnotateInput,
    Assertiveness,
    ContextTurn,
    Marker,
    NegotiationMove,
    NextStepOut,
    QuestionType,
    Reformulation,
    TurnAnnotation,
    TurnReading,
)
from scoring.similarity import ContentBag, content_bag
from scoring.summary import detect_summary
from scoring.topics import match_topics

__all__ = ["AnnotateInput", "Assertiveness", "ContextTurn", "Marker", "NegotiationMove", "NextStepOut",
           "QuestionType", "Reformulation", "TurnAnnotation", "TurnReading", "annotate_turns"]


def _coerce(item: AnnotateInput | dict[str, Any]) -> AnnotateInput:
    if isinstance(item, AnnotateInput):
        return item
    try:
        return AnnotateInput.model_validate(item)
    except Exception as exc:
        raise ScoringInputError(f"Entrée invalide : {exc}", f"Invalid input: {exc}") from exc


class _PartnerDocs:
    """Lemmatised docs of the partner's turns and of the persona's topics, parsed only for turns that
    need them and kept across calls: the action server reads one turn per call, and the same persona
    lines and topic descriptions come back on every turn of a session."""

    _cache: ClassVar[OrderedDict[str, Doc]] = OrderedDict()
    _lock: ClassVar[threading.Lock] = threading.Lock()
    MAX = 4096

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    def get(self, texts: list[str]) -> list[Doc]:
        key = self.nlp.meta.get("name", "") + ":"
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if key + t not in self._cache]
        parsed = list(zip(missing, light_docs(self.nlp, missing), strict=True))
        with self._lock:
            for t, d in parsed:
                self._cache[key + t] = d
            while len(self._cache) > self.MAX:
                self._cache.popitem(last=False)
            return [self._cache.get(key + t) or next(iter(light_docs(self.nlp, [t]))) for t in texts]


class _ContextBags:
    """Content bags of context turns and topic descriptions, kept across calls.

    A context bag depends only on the text (tokenizer-only or lemma docs, no scoring component), and
    the action server reads one turn per call with the eight turns before it: without this, every
    context turn's bag was rebuilt on every later turn (about a third of a turn's reading time)."""

    _cache: ClassVar[OrderedDict[tuple[str, str, str], ContentBag]] = OrderedDict()
    _lock: ClassVar[threading.Lock] = threading.Lock()
    MAX = 8192

    @classmethod
    def lookup(cls, kind: str, lang: str, texts: list[str]) -> tuple[dict[str, ContentBag], list[str]]:
        """The bags already known for ``texts`` and the texts still to compute."""
        found: dict[str, ContentBag] = {}
        missing: list[str] = []
        with cls._lock:
            for text in dict.fromkeys(texts):
                bag = cls._cache.get((kind, lang, text))
                if bag is None:
                    missing.append(text)
                else:
                    cls._cache.move_to_end((kind, lang, text))
                    found[text] = bag
        return found, missing

    @classmethod
    def store(cls, kind: str, lang: str, bags: dict[str, ContentBag]) -> None:
        with cls._lock:
            for text, bag in bags.items():
                cls._cache[(kind, lang, text)] = bag
            while len(cls._cache) > cls.MAX:
                cls._cache.popitem(last=False)


def _context_bags(nlp: Language, lang: str, texts: list[str]) -> dict[str, ContentBag]:
    """Bags of tokenizer-only docs of the context turns (surface forms and static vectors)."""
    kind = "token:" + nlp.meta.get("name", "")
    found, missing = _ContextBags.lookup(kind, lang, texts)
    new = {t: content_bag(d, lang) for t, d in zip(missing, token_docs(nlp, missing), strict=True)}
    _ContextBags.store(kind, lang, new)
    return found | new


def _topic_bags(item: AnnotateInput, lang: str, partner_docs: _PartnerDocs) -> dict[str, ContentBag]:
    """Bags of the persona's topic descriptions (lemma docs), by topic id."""
    texts = [t.text or t.id for t in item.topics]
    kind = "light:" + partner_docs.nlp.meta.get("name", "")
    found, missing = _ContextBags.lookup(kind, lang, texts)
    new = {t: content_bag(d, lang) for t, d in zip(missing, partner_docs.get(missing), strict=True)}
    _ContextBags.store(kind, lang, new)
    known = found | new
    return {t.id: known[text] for t, text in zip(item.topics, texts, strict=True)}


def _model_evidence(doc: Doc) -> list[str]:
    """Evidence for an aggressive label that came from the fitted model, not from a marker."""
    p = (doc._.assertiveness_scores or {}).get("aggressive_model")
    if doc._.assertiveness == "aggressive" and p is not None:
        return [f"ton d'ensemble agressif (modèle, probabilité {p:.2f})"]
    return []


def _content(item: AnnotateInput, lang: str, doc: Doc, bags: dict[str, ContentBag], partner_docs: _PartnerDocs,
             is_reformulation: bool, is_summary: bool = False) -> dict[str, Any]:
    """The content half of the reading: amounts and offer, question subtype, addressee, stance,
    accuracy of a restatement, dates, topics."""
    partner = [c.text for c in item.context if c.speaker == "other"]
    said_before = [c.text for c in item.context if c.speaker == "self"]
    amounts = read_amounts(item.text, partner, lang, own_texts=said_before,
                           history=[(c.speaker, c.text) for c in item.context], genre=item.genre)
    offer = offer_of(amounts)
    last_other = next((bags[c.text] for c in reversed(item.context) if c.speaker == "other"), None)
    addressed = addressee(item.text, item.speakers, item.context, lang, restates_last=is_reformulation,
                          recap=is_summary)
    out: dict[str, Any] = {
        "question_subtype": question_subtype(doc),
        "relance": is_relance(doc, bags[item.text], last_other),
        "stakeholder_question": is_stakeholder_question(doc),
        "amounts": [AmountOut.model_validate(a.model_dump(exclude={"start", "end"})) for a in amounts],
        "offer": offer.price,
        "offer_discount": offer.discount_percent,
        "offer_ambiguous": offer.ambiguous,
        "asks_counterpart": bool(load_lexicon(lang).find_cues(item.text, ("counterpart_condition",)))
        or any(m.label_ == "counterpart" for m in doc._.markers or []),
        "dates": find_dates(item.text, item.when, lang),
        "addressee": addressed,
        "stance": stance(item.text, item.speakers, addressed, lang,
                         hostile=doc._.assertiveness == "aggressive"),
    }
    near = item.context[-NEAR_CONTEXT_TURNS:]
    recent = [c.text for c in near if c.speaker == "other"]
    if is_reformulation and recent:
        own = {(a.start, a.end) for a in amounts if a.role == "own_offer" and not a.computed}
        check = check_reformulation(doc, partner_docs.get(recent), own,
                                    own_texts=[c.text for c in near if c.speaker == "self"])
        out["reformulation_accuracy"] = check.verdict
        out["reformulation_mismatches"] = check.mismatches
    elif is_summary:
        out.update(_summary_check(item, doc, partner_docs, amounts))
    if item.topics:
        out["topics"] = match_topics(item.text, bags[item.text], item.topics, _topic_bags(item, lang, partner_docs))
    return out


def _summary_check(item: AnnotateInput, doc: Doc, partner_docs: _PartnerDocs,
                   amounts: list[Any]) -> dict[str, Any]:
    """Is a closing recap true to what the partner said in the whole exchange?

    A recap restates the meeting, not the last turn, so it is compared with every partner turn of
    the reading context. The candidate's own proposals and next steps are theirs to state (they are
    not in the partner's words and are not held against the recap): only a contradiction counts,
    a figure, a negation, a person or a limit said otherwise. The persona corrects a false recap
    and the grid does not credit it (issues « turn reading », « personas that listen »); a recap of a
    talk longer than the context is at most « partial », since its figures may quote earlier turns.
    """
    context = item.context[-READING_CONTEXT_TURNS:]
    partner = [c.text for c in context if c.speaker == "other"]
    if not partner:
        return {}
    own = {(a.start, a.end) for a in amounts if a.role == "own_offer" and not a.computed}
    check = check_reformulation(doc, partner_docs.get(partner), own,
                                own_texts=[c.text for c in context if c.speaker == "self"], recap=True)
    verdict = check.verdict if check.mismatches else "accurate"
    if verdict == "inaccurate" and len(item.context) >= READING_CONTEXT_TURNS:
        # The talk is longer than the reading's context: the recap may restate words said before it
        # (a figure « wrong » against a later one was right against an earlier one). Never « wrong ».
        verdict = "partial"
    return {"summary_accuracy": verdict, "summary_mismatches": check.mismatches}


def _reformulation_context(item: AnnotateInput, bags: dict[str, ContentBag]
                           ) -> tuple[list[tuple[int, str, ContentBag]], bool]:
    """The context as the reformulation detector reads it, and whether the partner's last turn asked."""
    ctx: list[tuple[int, str, ContentBag]] = [(i, c.speaker, bags[c.text]) for i, c in enumerate(item.context)]
    asked = bool(item.context) and item.context[-1].speaker == "other" and "?" in item.context[-1].text
    return ctx, asked


def evidence_of(item: AnnotateInput | dict[str, Any]) -> ReformulationEvidence | None:
    """The reformulation evidence of one turn, computed exactly as ``annotate_turns`` does (for
    fitting ``scoring.reformulation_model`` on labelled turns)."""
    parsed = _coerce(item)
    lang = check_language(parsed.lang)
    nlp = get_nlp(lang)
    doc = nlp(parsed.text)
    bags = {parsed.text: content_bag(doc, lang)}
    bags.update(_context_bags(nlp, lang, [c.text for c in parsed.context if c.text not in bags]))
    ctx, asked = _reformulation_context(parsed, bags)
    return reformulation_evidence(doc, bags[parsed.text], ctx, config_for(lang, parsed.genre), lang,
                                  other_question=asked, genre=parsed.genre)


def _annotation(item: AnnotateInput, lang: str, doc: Doc, bags: dict[str, ContentBag],
                partner_docs: _PartnerDocs) -> TurnAnnotation:
    bag = bags[item.text]
    ctx, asked = _reformulation_context(item, bags)
    # The fitted model weighs the evidence for the product's own conversations (sales, negotiation,
    # mediation), which it was fitted on; a turn of unknown genre keeps the hand-calibrated weights.
    ref = detect_reformulation(doc, bag, ctx, config_for(lang, item.genre), lang, other_question=asked,
                               genre=item.genre, model=shipped_model(lang) if item.genre else None)
    summ = detect_summary(doc, bag, [b for _, _, b in ctx], lang)
    markers = [Marker(family=m.label_, text=m.text, start=m.start_char, end=m.end_char)
               for m in (doc._.markers or [])]
    # Only a closing recap (next steps agreed) is the summary instead: « Si je résume : vous… » in the
    # middle of the talk restates the partner's last turn (set D: 5 of its 51 missed restatements).
    is_reformulation = ref.is_reformulation and not (summ.is_summary and bool(summ.next_steps))
    content = _content(item, lang, doc, bags, partner_docs, is_reformulation, summ.is_summary)
    # The contract's open/closed follows the subtype: a précise question (« vous utilisez quoi ? ») is closed.
    question_type = ("open" if content["question_subtype"] == "ouverte" else "closed") if doc._.is_question else None
    return TurnAnnotation(
        **content,
        id=item.id,
        lang=lang,
        is_question=bool(doc._.is_question),
        question_type=question_type,
        question_form=doc._.question_form,
        spin=doc._.spin,
        phatic=bool(doc._.phatic),
        question_evidence=[s.text.strip() for s in (doc._.question_spans or [])],
        # A closing recap with next steps is the summary, not also a reformulation of the last turns.
        is_reformulation=is_reformulation,
        reformulation=Reformulation(
            score=ref.score, overlap=ref.overlap, similarity=ref.similarity, target_index=ref.target_index,
            target_text=item.context[ref.target_index].text if ref.target_index is not None else None,
            shared_words=ref.shared_words, markers=ref.markers, context_checked=ref.context_checked,
        ),
        is_summary=summ.is_summary,
        summary_markers=summ.markers,
        summary_coverage=summ.coverage,
        next_steps=[NextStepOut(who=s.who, what=s.what, when=s.when) for s in summ.next_steps],
        assertiveness=doc._.assertiveness,
        assertiveness_scores=doc._.assertiveness_scores or {},
        assertiveness_markers=[m.text for m in (doc._.assertiveness_markers or [])] or _model_evidence(doc),
        sentiment=round(float(doc._.sentiment), 3),
        subjectivity=round(float(doc._.subjectivity), 3),
        politeness=[m.text for m in markers_of(doc, "politeness")],
        hesitations=len(markers_of(doc, "hesitation")),
        negotiation=[NegotiationMove(move=str(n["move"]), text=str(n["text"]),
                                     amounts=list(n["amounts"]), percents=list(n["percents"]))
                     for n in (doc._.negotiation or [])],
        markers=markers,
        words=sum(1 for t in doc if not (t.is_punct or t.is_space)),
    )


def annotate_turns(items: list[AnnotateInput] | list[dict[str, Any]], batch_size: int = 64,
                   sentiment: bool = True) -> list[TurnAnnotation]:
    """Annotate turns, in input order. Raises :class:`ScoringInputError` on unusable input.

    Items may be ``AnnotateInput`` objects or plain dicts of the same shape.
    """
    parsed = [_coerce(it) for it in items]
    by_lang: dict[str, list[int]] = {}
    for pos, it in enumerate(parsed):
        lang = check_language(it.lang)
        check_text_size(it.text, f"id={it.id}")
        for c in it.context:
            check_text_size(c.text, f"id={it.id} (contexte)")
        by_lang.setdefault(lang, []).append(pos)
    out: list[TurnAnnotation | None] = [None] * len(parsed)
    for lang, positions in by_lang.items():
        nlp = get_nlp(lang, sentiment)
        main_texts = list(dict.fromkeys(parsed[p].text for p in positions))
        docs = dict(zip(main_texts, nlp.pipe(main_texts, batch_size=batch_size), strict=True))
        ctx_texts = list(dict.fromkeys(c.text for p in positions for c in parsed[p].context
                                       if c.text not in docs))
        bags = {t: content_bag(d, lang) for t, d in docs.items()}
        bags.update(_context_bags(nlp, lang, ctx_texts))
        partner_docs = _PartnerDocs(nlp)
        for p in positions:
            out[p] = _annotation(parsed[p], lang, docs[parsed[p].text], bags, partner_docs)
    return [a for a in out if a is not None]
