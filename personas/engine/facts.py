"""Facts about the persona's organisation: a factual question gets the fact, a wrong figure is corrected.

A question is factual when it aims at one of the persona's ``facts`` (its keywords, or the reading's
topic ``fact:<id>``) more precisely than at a hidden need: « Depuis quand l'entreprise existe-t-elle ? »
names the company's history (« depuis quand », « exist ») more precisely than the calendar need
(« quand »). A need aimed at as precisely keeps priority: facts never take a revelation away.
"""

from __future__ import annotations

import re

from personas.engine.context import TurnContext
from personas.engine.discovery import followed_up_need, matching_need
from personas.engine.reading import fold, quantities_in
from personas.intents import QUESTION_INTENTS
from personas.schema import Fact, HiddenNeed

REFUSAL_DEFAULT = "Ça, je le garderai pour plus tard."
CORRECTION_DEFAULT = "Non, {valeur}."
FACT_TRUST = 0.04
# Turns that can ask for a fact or state one (« Vous avez bien 300 camions ? », « Vous roulez 300 km
# par jour. »): questions, statements, small talk; never an offer, an argument, a price or a closing.
CLAIM_INTENTS = frozenset(
    {"closed_question", "assertive_statement", "small_talk", "out_of_scope", "open_question", "invite_to_speak",
     *QUESTION_INTENTS}
)  # like an information question: the candidate listens, less than a good open question


def _longest_hit(folded: str, keywords: list[str]) -> int:
    """Length of the longest keyword found at a word start (0: none)."""
    return max((len(fold(k)) for k in keywords if re.search(r"(?<!\w)" + re.escape(fold(k)), folded)), default=0)


def _facts_of_addressee(ctx: TurnContext) -> list[Fact]:
    """The facts the member the turn is said to can give (theirs and the shared ones).

    Why: in a mediation « Noté, plus de volontariat. Hugo, à toi : comment tu le vis ? » is said to
    Hugo; a fact of Nadia's named in the lead-in is not his to answer, and Nadia answering it is the
    wrong member speaking. Only the reading's addressee decides (one member named or spoken to)."""
    facts = ctx.persona.facts
    team = ctx.persona.team
    to = ctx.reading.addressee
    if team is None or len(team.members) < 2 or not ctx.reading.content or not to:  # several: the first is asked
        return facts
    return [f for f in facts if f.speaker is None or f.speaker == to[0]]


def fact_aimed_at(ctx: TurnContext) -> Fact | None:
    """The fact the turn is about (keywords first, then the reading's topics), or None."""
    r, facts = ctx.reading, _facts_of_addressee(ctx)
    if not facts:
        return None
    scored = [(_longest_hit(r.folded, f.keywords), -order, f) for order, f in enumerate(facts)]
    best = max(scored, key=lambda t: (t[0], t[1]))
    if best[0] > 0:
        return best[2]
    by_topic = {f"fact:{f.id}": f for f in facts}
    return next((by_topic[t] for t in r.topics if t in by_topic), None)


def _need_more_precise(ctx: TurnContext, fact: Fact, need: HiddenNeed | None) -> bool:
    r = ctx.reading
    if need is None:
        return False
    need_hit = max(_longest_hit(r.folded, need.keywords), _longest_hit(r.folded, [need.label]))
    if need_hit == 0 and f"need:{need.id}" in r.topics and f"fact:{fact.id}" not in r.topics:
        return True
    return need_hit >= _longest_hit(r.folded, fact.keywords) and need_hit > 0


def _follow_up_more_precise(ctx: TurnContext, fact: Fact) -> bool:
    """A revealed need the turn names more precisely than the fact (strictly: on a tie the factual
    question keeps its fact): « Et ces pénalités, elles vous coûtent combien ? » after the need was told."""
    need = followed_up_need(ctx)
    if need is None:
        return False
    r = ctx.reading
    need_hit = max(_longest_hit(r.folded, need.keywords), _longest_hit(r.folded, [need.label]))
    fact_hit = _longest_hit(r.folded, fact.keywords)
    if fact_hit == 0:
        return need_hit > 0 or f"fact:{fact.id}" not in r.topics
    return need_hit > fact_hit


NEAR_CHARS = 25  # a figure is about the fact when one of its keywords is this close (« 300 camions »)


def _figures(text: str) -> list[float]:
    return [q.value for q in quantities_in(text) if q.kind != "date"]


def _figures_about(text: str, keywords: list[str]) -> list[float]:
    """The turn's figures next to one of the fact's words (« 300 camions », « une flotte de 300 »)."""
    out = []
    for q in quantities_in(text):
        around = fold(text[max(0, q.start - NEAR_CHARS) : q.end + NEAR_CHARS])
        if q.kind != "date" and _longest_hit(around, keywords) > 0:
            out.append(q.value)
    return out


def wrong_figure(ctx: TurnContext, fact: Fact) -> str | None:
    """The fact's value when the turn states a figure for it that is not the persona's, else None."""
    value = ctx.persona.fact_value(fact)
    r = ctx.reading
    if value is None or r.price is not None or r.offers_price:
        return None
    known = [value, ctx.persona.company.figures.get(fact.id, ""), *fact.answer]  # any figure the persona says
    right, said = [v for text in known for v in _figures(text)], _figures_about(r.text, fact.keywords)
    if not right or not said:
        return None
    if any(abs(s - v) <= 0.005 * max(abs(v), 1.0) for s in said for v in right):
        return None
    return value


def _addressed(ctx: TurnContext) -> str | None:
    """Bloc 5: the member the question is addressed to answers a fact that belongs to nobody."""
    ids = {s.id for s in ctx.persona.speakers}
    return next((a for a in ctx.reading.addressee if a in ids), None)


def answer_fact(ctx: TurnContext) -> bool:
    """Answer a factual question, correct a wrong figure about a fact. True if the persona spoke."""
    r, st = ctx.reading, ctx.state
    if r.intent not in CLAIM_INTENTS:
        return False  # an offer, an argument, a price, a closing that names a fact is not about it
    fact = fact_aimed_at(ctx)
    if fact is None:
        return False
    speaker = fact.speaker or _addressed(ctx)
    correction = wrong_figure(ctx, fact)
    if correction is not None and not r.open_question:
        # « Vous avez bien 300 camions ? » or « Avec vos 300 camions… »: the persona sets it right.
        ctx.adjust(trust=-0.01)
        ctx.event(f"fact_corrected:{fact.id}")
        ctx.voice.say_or("fact_correct", CORRECTION_DEFAULT, speaker, valeur=correction)
        return True
    if not r.is_question or r.summary or r.reformulation:
        return False
    if _need_more_precise(ctx, fact, matching_need(ctx)):
        return False
    if _follow_up_more_precise(ctx, fact):
        return False  # a follow-up on what the persona already said gets its next layer, not a fact
    if r.closed_question:
        st.closed_questions += 1
    else:
        st.open_questions += 1
    st.closed_streak = 0
    available = st.trust >= fact.min_trust and all(n in st.revealed_needs for n in fact.after_needs)
    if not available:
        ctx.event(f"fact_refused:{fact.id}")
        if fact.refusal:
            ctx.voice.say_from(f"fact_refused:{fact.id}", fact.refusal, speaker)
        else:
            ctx.voice.say_or("fact_refused", REFUSAL_DEFAULT, speaker)
        return True
    ctx.adjust(trust=FACT_TRUST)
    ctx.event(f"fact_given:{fact.id}")
    ctx.voice.say_from(f"fact:{fact.id}", fact.answer, speaker)
    return True
