"""Tolerance to NLU noise in sales conversations: the intent the engine acts on.

The live NLU errs most on long, natural turns (« Bonjour Madame Marchand, merci de me recevoir… »
read as ``handle_objection``; « Pour récapituler, … » as ``present_offer``). Each rule below overrules
the NLU only when the text or the scoring signals clearly say otherwise, and never in a way that
bypasses the engine's checks: a re-read closing is still refused without needs, resolved objections,
agreed price and summary; a re-read price still meets the hidden thresholds. Every re-reading is
recorded as a ``reread:<nlu intent>><intent>`` event (tests, debrief).
"""

from __future__ import annotations

import dataclasses
import re

from personas.engine.context import TurnContext
from personas.engine.cues import has_cue
from personas.engine.negotiation import plausible_price
from personas.engine.reading import PRICE_INTENTS, Reading, fold, mentions
from personas.intents import CLOSING_INTENTS, QUESTION_INTENTS

QUESTION_LEAD_IN_WORDS = 4
# Engine-only pseudo-intent: an open question whose NLU intent made no sense. The need it reveals is
# chosen by the question's words only (no topic), so a misread question is never more generous.
OPEN_QUESTION = "open_question"

# Intents that the NLU gives to long closing turns (a summary ending on « on se revoit le 12 ? »).
STATEMENT_INTENTS = frozenset(
    {"present_offer", "propose_solution", "assertive_statement", "summarize", "reformulate", "handle_objection"}
)
# Statement intents that an open question (« Comment raisonnez-vous le coût… ? ») can be mistaken for.
_NOT_QUESTIONS = frozenset(
    {"small_talk", "out_of_scope", "present_offer", "propose_solution", "summarize", "assertive_statement",
     "handle_objection", "reframe", "express_empathy", "introduce_self", "set_ground_rules"}
)  # fmt: skip
# Intents under which an argument answering an open objection may arrive (besides the argument ones).
_ARGUMENT_LOOKALIKES = frozenset(
    {"summarize", "reframe", "express_empathy", "small_talk", "out_of_scope", "closed_question", *CLOSING_INTENTS}
)
# Intents that make no sense for a turn stating a contract-sized amount (« Le programme est à 310 000 € »).
_AMOUNT_MEANINGLESS = frozenset(
    {"summarize", "out_of_scope", "small_talk", "greet", "introduce_self", "express_empathy", "reframe",
     "closed_question", "set_ground_rules", "invite_to_speak", *CLOSING_INTENTS}
)  # fmt: skip
def _offer_stated(text: str) -> bool:
    """An offer in a statement sentence (« Je vous propose un pilote… Qu'en pensez-vous ? »).

    Offer words inside the question itself (« Avant de parler de notre offre, qu'est-ce qui… ? ») do
    not make the turn an offer.
    """
    sentences = re.split(r"(?<=[.!;])\s+", text.strip())
    return any(not s.rstrip().endswith("?") and has_cue(fold(s), "engine_offer_presented")
               and not has_cue(fold(s), "engine_agenda") for s in sentences)


def agenda_then_question(r: Reading) -> bool:
    """A plan of the meeting, then an information question (« D'abord vos besoins, ensuite notre
    offre, puis les conditions. Pour commencer, comment … ? »), whatever the NLU called it.

    Why: typed as an offer, such an opening drew « Belle présentation, mais vous ne savez rien de nos
    contraintes » to a candidate who had presented nothing and asked about those very constraints.
    The plan names the offer as a step to come; the question is what the persona answers."""
    return (r.asks_information and r.intent in _NOT_QUESTIONS and has_cue(r.folded, "engine_agenda")
            and r.price is None and r.discount is None and not r.summary_cue and not _offer_stated(r.text))


def _question_only(text: str) -> bool:
    """The turn is a question, at most with a short lead-in (« Pour bien comprendre, … ? »).

    An offer ending on « Qu'en pensez-vous ? » is an offer, not a discovery question.
    """
    sentences = re.split(r"(?<=[.!?;])\s+", text.strip())
    return sum(len(s.split()) for s in sentences if not s.rstrip().endswith("?")) <= QUESTION_LEAD_IN_WORDS


def question_in_disguise(r: Reading) -> bool:
    """« Comment raisonnez-vous le coût de votre parc ? » typed as small talk, an offer, empathy…"""
    return r.open_cue and r.intent in _NOT_QUESTIONS and not r.summary_cue and _question_only(r.text)


def asked_in_passing(r: Reading) -> bool:
    """A turn the reading says ends on an information question (ouverte, précise, alternative) after a
    lead-in of any length (« Je note : 4 heures sur les 5 axes. Combien en avez-vous ? ») and that offers
    nothing: no price, no discount, no offer stated. The NLU's offer or argument intent on it (long turns
    are where it errs) must not leave the question unanswered."""
    # An offer ending on « Qu'en pensez-vous ? » is an offer: an open question after a lead-in counts
    # only under a price intent with nothing offered; a précise one (« Combien… ? », « Qui… ? ») always.
    precise = r.question_subtype == "precise" and r.intent in _NOT_QUESTIONS | PRICE_INTENTS
    return ((precise or (r.asks_information and r.intent in PRICE_INTENTS)) and not r.summary_cue
            and r.price is None and r.discount is None and not r.offers_price and not _offer_stated(r.text)
            and not has_cue(r.folded, "engine_proposal") and not (r.content and r.amount is not None))


def greeting_then_question(r: Reading) -> bool:
    """« Bonjour, merci de me recevoir. Qu'est-ce qui vous pose souci en ce moment ? » typed as a
    greeting: the persona greets back and answers the question (``play_sales_turn``), never only
    « Vous avez vingt minutes, faites-en bon usage » to a candidate who just asked something."""
    return (r.intent == "greet" and r.asks_information and r.price is None and r.discount is None
            and not _offer_stated(r.text))


def new_price_said(ctx: TurnContext) -> bool:
    """Bloc 4: the reading found an own price of the candidate's that differs from the one on the table."""
    r, n, neg = ctx.reading, ctx.persona.negotiation, ctx.state.negotiation
    if n is None or not r.content or r.price is None or not plausible_price(n, r.price):
        return False
    if neg is not None and neg.agreed_price is not None:
        return False
    return neg is None or not neg.candidate_offers or abs(neg.candidate_offers[-1] - r.price) >= 0.5


def _late(ctx: TurnContext) -> bool:
    return ctx.state.offer_presented and not ctx.state.open_objections


def closing_in_disguise(ctx: TurnContext) -> bool:
    """NLU noise near the end: a closing typed as an offer, a summary, a price or a closed question.

    Only once the offer is on the table and no objection is open (or in the conclusion stage), so
    that an early « d'accord ? » stays a question; ``close`` then checks everything anyway.
    """
    r, st = ctx.reading, ctx.state
    if r.intent in CLOSING_INTENTS or new_price_said(ctx):
        return False  # a new price, even ending on « c'est bien ça ? », is a round of the negotiation
    if r.asks_agreement and st.stage == "conclusion" and not r.open_question:
        return True
    if not _late(ctx):
        return False
    if r.asks_agreement and not r.open_question:
        return True  # « Pouvons-nous valider… ? », « Êtes-vous d'accord pour lancer… ? »
    if not r.proposes_next_step or r.intent in QUESTION_INTENTS:
        return False  # « Quel est votre calendrier… ? » stays a discovery question
    if r.intent in {"present_offer", "propose_solution", "assertive_statement"}:
        return True
    if r.intent in PRICE_INTENTS and r.amount is None:
        return True  # « Je vous propose une démonstration le 14 avril » typed as a price
    # A summary or a statement ending on a dated next step asked as a question: summary + commitment.
    return r.intent in STATEMENT_INTENTS and "?" in r.text


def _greeting(ctx: TurnContext) -> bool:
    """« Bonjour Madame Marchand, merci de me recevoir… » typed as anything but a greeting."""
    r, st = ctx.reading, ctx.state
    skip = {"greet", "introduce_self", "small_talk", "goodbye", "aggressive_statement"}
    skip |= CLOSING_INTENTS | PRICE_INTENTS
    return not st.greeted and st.turn <= 2 and r.greets and r.intent not in skip and not r.open_question


def _answers_open_objection(ctx: TurnContext) -> bool:
    """The text carries the resolution words of an open objection that an argument can resolve."""
    for obj_id in ctx.state.open_objections:
        obj = next(o for o in ctx.persona.objections if o.id == obj_id)
        arguable = "handle_objection" in obj.resolved_by and bool(obj.resolution_keywords)
        if arguable and mentions(ctx.reading.folded, obj.resolution_keywords):
            return True
    return False


def _price_said(ctx: TurnContext) -> bool:
    """Bloc 2: a price was already put on the table (its objection was raised)."""
    price_triggers = {"price_proposed", "price_before_discovery"}
    return any(o.id in ctx.state.raised_objections for o in ctx.persona.objections if o.trigger in price_triggers)


def _price_in_disguise(ctx: TurnContext) -> bool:
    r, st, n = ctx.reading, ctx.state, ctx.persona.negotiation
    if r.amount is None or r.intent in PRICE_INTENTS or r.restates or r.summary_cue or r.open_question:
        return False
    if n is None or (st.negotiation is not None and st.negotiation.agreed_price is not None):
        return False
    if r.intent in QUESTION_INTENTS or not plausible_price(n, r.amount) or _answers_open_objection(ctx):
        return False
    # Bloc 4: « Je vous propose 214 000 € HT si… » typed as a closing, a summary or a statement.
    return r.offers_price or r.intent in _AMOUNT_MEANINGLESS


def sales_intent(ctx: TurnContext) -> str:
    """The intent the sales engine acts on (the NLU's, unless the text and signals say otherwise)."""
    r, st = ctx.reading, ctx.state
    intent = r.intent
    if intent in {"goodbye", "aggressive_statement"}:
        return intent
    if _greeting(ctx):
        return "greet"
    if r.restates and intent not in {"reformulate", *CLOSING_INTENTS} and not r.open_question:
        return "reformulate"  # « Si je comprends bien, … 900 € l'heure d'arrêt » is not a price
    if _price_in_disguise(ctx):
        return "propose_price"
    if intent == "concede" and ctx.persona.negotiation is None and r.amount is not None and not _price_said(ctx):
        return "propose_price"  # the first price said cannot be a concession
    if closing_in_disguise(ctx):
        return "request_commitment"
    if r.summary_cue and not r.open_question and intent not in CLOSING_INTENTS:
        return "summarize"
    statement = "?" not in r.text
    lookalike = (intent in _ARGUMENT_LOOKALIKES and intent not in CLOSING_INTENTS) or (
        statement and intent in _ARGUMENT_LOOKALIKES | QUESTION_INTENTS and intent not in PRICE_INTENTS
    )
    if st.open_objections and lookalike and not r.summary_cue and _answers_open_objection(ctx):
        return "handle_objection"
    if question_in_disguise(r) or asked_in_passing(r) or agenda_then_question(r) or greeting_then_question(r):
        return OPEN_QUESTION
    no_objection = not st.open_objections or intent != "handle_objection"
    offered = _offer_stated(r.text) and not r.proposes_next_step
    closing_cue = r.asks_agreement or r.proposes_next_step
    if intent in CLOSING_INTENTS and offered and not closing_cue and not st.offer_presented:
        return "present_offer"  # « Nous proposons un technicien dédié… » typed as a commitment request
    long_offer = offered and intent in QUESTION_INTENTS and not _question_only(r.text)
    if long_offer and not st.offer_presented and r.amount is None:
        return "present_offer"  # « Nous proposons un parcours de six jours… Qu'en pensez-vous ? »
    if offered and no_objection and intent in {"handle_objection", "assertive_statement", "reframe", "summarize"}:
        return "present_offer" if r.amount is None or ctx.persona.negotiation is None else "propose_price"
    return intent


def reread(ctx: TurnContext, intent: str) -> None:
    """Make the turn's reading act on ``intent`` (recorded as an event when it differs from the NLU's)."""
    r = ctx.reading
    if intent == r.intent:
        return
    ctx.event(f"reread:{r.intent}>{intent}")
    changes: dict[str, object] = {"intent": intent}
    if intent == OPEN_QUESTION:
        changes.update(open_question=True, closed_question=False)
    elif intent == "reformulate":
        changes.update(reformulation=True)
    elif intent == "summarize":
        changes.update(summary=True)
    if r.intent == "reformulate" and intent != "reformulate":
        changes.update(reformulation=r.reformulation_cue)
    if r.intent == "summarize" and intent != "summarize":
        changes.update(summary=r.summary_cue)
    if intent in PRICE_INTENTS and r.price is None:
        changes.update(price=r.amount)  # only explicit amounts (« 225 000 € ») are re-read as prices
    ctx.reading = dataclasses.replace(r, **changes)  # type: ignore[arg-type]
