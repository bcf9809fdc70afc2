"""Reformulation detection: a paraphrase of what the interlocutor said in the previous turn(s).

Evidence combined into one score: markers (« si je comprends bien », « autrement dit », "so you
feel…"), a turn framed on the other person (« vous… », "you…"), overlap of content words / vectors
with the interlocutor's recent turns, minus signs of something else (an interrogative question, the
speaker talking about themselves). A marker over unrelated content is not a reformulation; an echo
of the other's words without a marker is. With no context at all, only a strong marker counts.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from dataclasses import dataclass, field
from typing import Protocol

from spacy.lang.fr.stop_words import STOP_WORDS as FR_STOP_WORDS
from spacy.tokens import Doc, Span

from scoring.extensions import markers_of
from scoring.similarity import ContentBag, content_bag, cosine, overlap, shared, soft_overlap

_SECOND = {"fr": {"vous", "tu", "te", "t'", "votre", "vos", "ton", "ta", "tes", "toi"},
           "en": {"you", "your", "you're", "you've", "you'd", "you'll", "yourself", "yours"}}
_FIRST = {"fr": {"je", "j'", "me", "m'", "moi", "mon", "ma", "mes"},
          "en": {"i", "i'm", "i've", "i'd", "i'll", "me", "my", "myself"}}
_COMPANY = {"fr": {"nous", "notre", "nos"}, "en": {"we", "we're", "we've", "we'll", "we'd", "our", "ours", "us"}}


@dataclass(frozen=True)
class ReformulationConfig:
    """Weights and threshold of the score (calibrated on the dev sets, see docs/scoring.md)."""

    window: int = 3  # how many of the interlocutor's latest turns may be reformulated
    w_strong: float = 0.55
    w_weak: float = 0.2
    w_frame: float = 0.0  # turn opens on the other person (« vous… », "so you…")
    w_overlap: float = 0.6
    w_similarity: float = 0.5
    w_soft_overlap: float = 0.6  # near-synonyms by word vectors (French only: no English vectors)
    soft_threshold: float = 0.6
    w_you: float = 0.4
    w_question: float = 0.5
    w_first_person: float = 0.3
    w_statement: float = 0.3  # a statement, not a question: reflections are mostly statements
    w_advice: float = 0.4  # advice / information giving (« je vous conseille », "let's")
    w_fragment: float = 0.2  # a bare 1–3 word fragment sharing nothing with the other's words
    w_other_spoke: float = 0.1  # the interlocutor's last turn had content to reflect
    other_spoke_words: int = 2
    threshold: float = 0.4
    w_social: float = 0.0  # thanks, greetings, goodbyes: social formulas, not reflections
    social_max_words: int = 10
    strong_outside_questions: bool = False  # markers inside an interrogative sentence do not count
    # The statement bonus needs an anchor in the other person's words: a marker, shared content words
    # or the turn speaking of them ("you…"). A sales pitch ("Our app syncs every hour") has none.
    statement_needs_anchor: bool = False
    w_company: float = 0.0  # the speaker's side talking ("we", "our", "nous", "notre"): pitching, not reflecting
    w_aggressive: float = 0.0  # blame and judgements are not reflections
    w_offer: float = 0.0  # an offer, a concession or a price is not a reflection
    w_alternative: float = 0.0  # « … le mardi ou le jeudi ? » offers a choice, it does not reflect
    w_answer: float = 0.0  # « Oui, lundi 9 h, je vous appelle » answers the other's question, it does not reflect
    # A turn must be related to the interlocutor's words (overlap or vector similarity) when they
    # say enough to check it (at least ``checkable_words`` content words).
    require_related: bool = True
    checkable_words: int = 4
    related_similarity: float = 0.45


# English has no word vectors here (blank pipeline): lexical overlap misses paraphrases, so the
# relatedness check would reject most genuine reflections (F1 0.60 → 0.51 on the dev set); it is
# kept for French where vectors measure relatedness.
# French conversations are sales talks, not counselling: a « vous » statement is not a reflection by
# itself, so French relies on markers and echoes (overlap), not on the statement/second-person cues.
DEFAULTS = {
    "fr": ReformulationConfig(w_you=0.2, w_statement=0.0, w_frame=0.1, w_other_spoke=0.0, threshold=0.45,
                              w_company=0.3, w_social=0.6, w_aggressive=0.5, w_alternative=0.5, w_answer=0.5,
                              related_similarity=0.3),
    "en": ReformulationConfig(require_related=False, strong_outside_questions=True, w_question=0.8,
                              w_social=0.6),
}

# Sales and negotiation talk in English: a "you" statement is often a pitch ("you'll get a dedicated
# manager"), so, as in French, a reflection needs evidence (a marker, the other's words) rather than
# the counselling prior that most therapist statements reflect.
_EN_SALES = ReformulationConfig(require_related=False, strong_outside_questions=True, w_question=0.8,
                                w_social=0.6, w_company=0.3, w_aggressive=0.5, w_offer=0.4,
                                w_statement=0.0, w_you=0.2, threshold=0.5, w_answer=0.5)
PROFILES: dict[tuple[str, str], ReformulationConfig] = {
    # A manager mediating between two team members reflects feelings and situations much as a
    # counsellor does (« Ces changements débordent sur ta vie personnelle »): a statement about the
    # other person gets part of the counselling prior back (no gain measured in English).
    ("fr", "mediation"): dataclasses.replace(DEFAULTS["fr"], w_statement=0.15),
    ("en", "sales"): _EN_SALES,
    ("en", "negotiation"): _EN_SALES,
    ("en", "mediation"): _EN_SALES,
}


def config_for(lang: str, genre: str | None) -> ReformulationConfig:
    """The calibrated weights for a language and a kind of conversation (``None``: the language default)."""
    return PROFILES.get((lang, genre or ""), DEFAULTS[lang])


_ANSWER_OPENING = re.compile(r"^\W*(?:oui|non|bien sûr|tout à fait|absolument|d'accord|effectivement|exactement|"
                             r"yes|no|sure|of course|absolutely|certainly|yeah)\b", re.IGNORECASE)
# « Si je comprends bien votre secteur… »: general knowledge of the other's trade, not their words.
_GENERAL_TOPIC = {"secteur", "marché", "métier", "domaine", "activité", "industrie", "branche",
                  "sector", "market", "industry", "field", "trade", "business"}
_SUPERLATIVE_PITCH = re.compile(r"\b(?:le|la) (?:plus|moins) [a-zéèêû]+ du marché\b|\bleader (?:du|sur le) marché\b|"
                                r"\bthe (?:most|best|cheapest|fastest) [a-z]+(?: [a-z]+)? "
                                r"(?:(?:on|in) the market|available|out there)\b|"
                                r"\bmarket leader\b",
                                re.IGNORECASE)
_OWN = {"notre", "nos", "our"}
_OWN_SINGULAR = {"mon", "ma", "mes", "my"}
_OFFER_WORDS = {"offre", "approche", "solution", "proposition", "produit", "méthode", "démarche", "service",
                "société", "entreprise", "offer", "approach", "product", "method", "company"}


def marker_points_elsewhere(marker: Span, window: int = 4) -> bool:
    """A recap or reformulation marker that points away from what the interlocutor said: to the
    speaker's own side (« Autrement dit, notre solution… », "In summary, our offer…"), to the other's
    trade in general (« Si je comprends bien votre secteur… ») or to a superlative pitch."""
    doc = marker.doc
    after = [t.lower_ for t in doc[marker.end : min(len(doc), marker.end + window)] if not t.is_punct]
    if any(a in _OWN for a in after):
        return True
    if len(after) >= 2 and after[0] in {"votre", "ton", "le", "la", "your", "the"} and after[1] in _GENERAL_TOPIC:
        return True
    if _SUPERLATIVE_PITCH.search(marker.sent.text):
        return True  # « Autrement dit, X est le logiciel le plus complet du marché »
    return any(a in _OWN_SINGULAR and b in _OFFER_WORDS for a, b in itertools.pairwise(after))


@dataclass
class ReformulationResult:
    """Decision plus the evidence a juror needs: markers, target turn, overlap figures."""

    is_reformulation: bool = False
    score: float = 0.0
    overlap: float = 0.0
    similarity: float = 0.0
    target_index: int | None = None
    shared_words: list[str] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)
    context_checked: bool = False


_QUOTE = re.compile(r"«\s*([^»]{3,120}?)\s*»|“([^”]{3,120}?)”|\"([^\"]{3,120}?)\"")
_WORDS = re.compile(r"[a-zà-ÿœæ']+", re.IGNORECASE)


def _sentence_overlap(doc: Doc, union: ContentBag, lang: str) -> float:
    """The highest share of one sentence's content words found in the partner's words (sentences
    with at least three content words, so « Merci. » or « D'accord. » never count)."""
    best = 0.0
    for sent in doc.sents:
        bag = content_bag(sent, lang)  # type: ignore[arg-type]  # a Span iterates tokens as a Doc does
        if len(bag.keys) >= 3:
            best = max(best, overlap(bag, union))
    return best


def _quoted_echo(text: str, union: ContentBag) -> float:
    """1 when a quoted span of the turn repeats the partner's words (half its content words at least
    are theirs), 0.5 for a quoted phrase of function words only (« plus ou moins »), else 0."""
    best = 0.0
    for m in _QUOTE.finditer(text):
        words = [w.lower() for w in _WORDS.findall(next(g for g in m.groups() if g))]
        content = [w for w in words if len(w) >= 3 and w not in FR_STOP_WORDS]
        if not content:
            best = max(best, 0.5 if words else 0.0)
        elif 2 * sum(w in union.forms or w in union.keys for w in content) >= len(content):
            return 1.0
    return best


def _pronoun_shares(doc: Doc, lang: str) -> tuple[float, float, bool]:
    words = [t for t in doc if not (t.is_punct or t.is_space)]
    if not words:
        return 0.0, 0.0, False
    second = sum(1 for t in words if t.lower_ in _SECOND.get(lang, set()))
    first = sum(1 for t in words if t.lower_ in _FIRST.get(lang, set()))
    lead = [t.lower_ for t in words[:4]]
    frame = any(w in _SECOND.get(lang, set()) for w in lead)
    return second / len(words), first / len(words), frame


@dataclass(frozen=True)
class ReformulationEvidence:
    """What the detector looks at, one number each: the hand-weighted score and the fitted model
    (``scoring.reformulation_model``) read the same evidence, so the juror's evidence is the same
    whichever decides."""

    strong: float
    weak: float
    frame: float
    overlap: float
    soft_overlap: float
    similarity: float
    you: float
    me: float
    interrogative: float
    statement: float
    advice: float
    fragment: float
    other_spoke: float
    other_asked: float
    social: float
    company: float
    aggressive: float
    offer: float
    alternative: float
    answer: float
    related: float
    checkable: float
    words: float
    shared_words: float
    check_marker: float
    leading: float
    mediation: float
    negotiation: float
    shared_numbers: float
    past_second: float
    # The best overlap of one sentence of the turn with the partner's words: a restatement often
    # opens a long turn that goes on with a pitch or a question, which dilutes the turn's overlap.
    sentence_overlap: float = 0.0
    # The partner's own words quoted back (« Vous dites « plus ou moins » : … »).
    quoted: float = 0.0
    # A recap marker (« si je résume », « je récapitule »): mid-talk it restates the partner.
    recap_marker: float = 0.0
    # The turn's first words, lowercased: how a restatement opens (« donc vous… », « vous me disiez »)
    # is learnt from data as hashed n-grams rather than listed.
    opening: tuple[str, ...] = ()

    def vector(self) -> list[float]:
        """The evidence in field order, with the products the linear model cannot form itself."""
        base = [float(getattr(self, f.name)) for f in dataclasses.fields(self) if f.name != "opening"]
        return [*base, self.strong * self.related, self.strong * self.overlap, self.overlap * self.statement,
                self.interrogative * self.overlap, self.strong * self.interrogative]


FEATURE_NAMES = [f.name for f in dataclasses.fields(ReformulationEvidence) if f.name != "opening"] + [
    "strong*related", "strong*overlap", "overlap*statement", "interrogative*overlap", "strong*interrogative"]


class ReformulationScorer(Protocol):
    """A fitted decision over the evidence (``scoring.reformulation_model.ReformulationModel``)."""

    threshold: float

    def probability(self, evidence: ReformulationEvidence) -> float: ...


def detect_reformulation(
    doc: Doc,
    bag: ContentBag,
    context: list[tuple[int, str, ContentBag]],
    config: ReformulationConfig,
    lang: str = "fr",
    other_question: bool = False,
    genre: str | None = None,
    model: ReformulationScorer | None = None,
) -> ReformulationResult:
    """Decide whether ``doc`` reformulates one of the interlocutor's turns in ``context``.

    ``context`` holds ``(index, speaker, bag)`` oldest first; only "other" turns can be targets.
    ``other_question``: the interlocutor's last turn asked something (so « Oui, … » answers it).
    ``model``: a fitted decision over the same evidence (French); without it, the weights of ``config``.
    """
    res, evidence, best_index = _evidence(doc, bag, context, config, lang, other_question, genre)
    if evidence is None:
        return res
    if model is not None:
        score = model.probability(evidence)
        # By definition an answer to the partner's question (« Oui, … ») restates nothing of theirs,
        # however many of their words it reuses: the labelled sets hold too few for the fit to learn it.
        ok = score >= model.threshold and not evidence.answer
    else:
        score = _hand_score(evidence, config)
        ok = score >= config.threshold and bool(evidence.related)
    res.score = round(score, 3)
    res.is_reformulation = bool(ok)
    if ok:
        res.target_index = best_index
    return res


def _hand_score(e: ReformulationEvidence, config: ReformulationConfig) -> float:
    """The hand-calibrated linear score (English, and French when no fitted model is shipped)."""
    return (config.w_strong * e.strong + config.w_weak * e.weak + config.w_frame * e.frame
            + max(config.w_overlap * e.overlap, config.w_soft_overlap * e.soft_overlap)
            + config.w_similarity * max(0.0, e.similarity - 0.4)
            + config.w_you * e.you - config.w_question * (e.interrogative and not e.strong)
            - config.w_first_person * e.me + config.w_statement * e.statement
            - config.w_advice * e.advice - config.w_fragment * e.fragment + config.w_other_spoke * e.other_spoke
            - config.w_social * e.social - config.w_company * e.company
            - config.w_aggressive * e.aggressive - config.w_offer * e.offer
            - config.w_alternative * e.alternative - config.w_answer * e.answer)


def reformulation_evidence(
    doc: Doc,
    bag: ContentBag,
    context: list[tuple[int, str, ContentBag]],
    config: ReformulationConfig,
    lang: str = "fr",
    other_question: bool = False,
    genre: str | None = None,
) -> ReformulationEvidence | None:
    """The evidence of one turn (None when the interlocutor has said nothing yet): what a model is
    fitted on."""
    return _evidence(doc, bag, context, config, lang, other_question, genre)[1]


def _evidence(
    doc: Doc,
    bag: ContentBag,
    context: list[tuple[int, str, ContentBag]],
    config: ReformulationConfig,
    lang: str,
    other_question: bool,
    genre: str | None,
) -> tuple[ReformulationResult, ReformulationEvidence | None, int | None]:
    asking = [s for s in (doc._.question_spans or []) if s._.interrogative]
    strong = [m for m in markers_of(doc, "reformulation_strong") if not marker_points_elsewhere(m)]
    if config.strong_outside_questions:
        # "How do you feel about it?" asks; "you feel" only reflects outside an interrogative sentence.
        strong = [m for m in strong if not any(q.start <= m.start and m.end <= q.end for q in asking)]
    # « …, c'est bien ça ? » checks a reformulation, unless the turn is a leading question ("You'd agree that…,
    # right?") that puts words in the other person's mouth.
    checks = markers_of(doc, "reformulation_check")
    leading = [m for m in markers_of(doc, "leading") if not any(c.start <= m.start < c.end for c in checks)]
    strong += [] if leading else checks
    weak = markers_of(doc, "reformulation_weak")
    res = ReformulationResult(markers=[m.text for m in [*strong, *weak]])
    others = [c for c in context if c[1] == "other"][-config.window :]
    if not others:
        # Nothing to compare with: a strong marker is the only evidence left.
        checked = [m for m in strong if m.label_ != "reformulation_check"]  # nothing to check against
        res.is_reformulation = bool(checked)
        res.score = 1.0 if checked else 0.0
        return res, None, None
    res.context_checked = True
    union = ContentBag(frozenset().union(*(o.keys for _, _, o in others)), None,
                       frozenset().union(*(o.forms for _, _, o in others)))
    best_index, best_ov, best_sim = others[-1][0], -1.0, 0.0
    for index, _speaker, other in others:
        ov, sim = overlap(bag, other), cosine(bag, other)
        if ov + 0.5 * sim > best_ov + 0.5 * best_sim:
            best_index, best_ov, best_sim = index, ov, sim
    ov_union = overlap(bag, union)
    soft = max((soft_overlap(bag, o, config.soft_threshold) for _, _, o in others), default=0.0)
    checkable = len(union.keys) >= config.checkable_words
    related = (not config.require_related or not checkable or ov_union > 0 or soft > 0
               or best_sim >= config.related_similarity)
    you, me, frame = _pronoun_shares(doc, lang)
    interrogative = bool(doc._.interrogative)
    words = sum(1 for t in doc if not (t.is_punct or t.is_space))
    other_asked = bool(context) and context[-1][1] == "other" and other_question
    company = sum(1 for t in doc if t.lower_ in _COMPANY.get(lang, set())) / max(1, words)
    anchored = bool(strong or weak) or ov_union > 0 or soft > 0 or you > 0
    shared_words = sorted(shared(bag, union))
    evidence = ReformulationEvidence(
        strong=float(bool(strong)), weak=float(bool(weak)), frame=float(frame), overlap=ov_union,
        soft_overlap=soft, similarity=best_sim, you=min(1.0, you * 5), me=min(1.0, me * 5),
        interrogative=float(interrogative),
        statement=float(not doc._.is_question and (anchored or not config.statement_needs_anchor)),
        advice=float(bool(markers_of(doc, "advice"))), fragment=float(words <= 3 and ov_union == 0),
        other_spoke=float(len(others[-1][2].keys) >= config.other_spoke_words), other_asked=float(other_asked),
        social=float(bool(config.w_social) and words <= config.social_max_words and bool(markers_of(doc, "social"))),
        company=min(1.0, company * 5), aggressive=float(doc._.assertiveness == "aggressive"),
        offer=float(any(n["move"] in ("offer", "concession") for n in (doc._.negotiation or []))),
        alternative=float(doc._.question_form == "alternative"),
        answer=float(other_asked and _ANSWER_OPENING.match(doc.text) is not None),
        related=float(related), checkable=float(checkable), words=math.log1p(words),
        shared_words=math.log1p(len(shared_words)), check_marker=float(bool(checks)), leading=float(bool(leading)),
        mediation=float(genre == "mediation"), negotiation=float(genre == "negotiation"),
        shared_numbers=min(3.0, float(len({t.lower_ for t in doc if any(ch.isdigit() for ch in t.text)}
                                          & union.forms))),
        past_second=float(you > 0 and any("Past" in t.morph.get("Tense", []) or "Imp" in t.morph.get("Tense", [])
                                          for t in doc)),
        sentence_overlap=_sentence_overlap(doc, union, lang),
        quoted=_quoted_echo(doc.text, union),
        recap_marker=float(bool(markers_of(doc, "summary"))),
        opening=tuple(t.lower_ for t in doc[:5] if not t.is_space),
    )
    res.overlap, res.similarity = round(ov_union, 3), round(best_sim, 3)
    res.shared_words = shared_words
    return res, evidence, best_index
