"""Bloc 2 and Bloc 4: a prospect or buyer facing a seller (discovery, offer, objections, closing)."""

from __future__ import annotations

import re

from personas.engine.context import TurnContext
from personas.engine.cues import has_cue
from personas.engine.discovery import (
    accurate_reformulation,
    answer_closed_question,
    answer_open_question,
    handle_objections,
    needs_echoed,
    objection,
    raise_objection,
    resolved_in_passing,
    say_unresolved,
)
from personas.engine.facts import CLAIM_INTENTS, answer_fact
from personas.engine.french import join_french, join_list_fr, spoken_date
from personas.engine.negotiation import (
    deal_outcome,
    negotiate,
    note_wants_named,
    plausible_price,
    price_text,
    settle_at_closing,
    standing_offer,
    withdraw_computed_agreement,
    withdraw_disowned,
    would_settle,
)
from personas.engine.questions import answer_named_topic
from personas.engine.reading import PRICE_INTENTS, question_part
from personas.engine.rereading import OPEN_QUESTION, reread, sales_intent
from personas.engine.summary_lines import SUMMARY_INCOMPLETE_DEFAULT
from personas.intents import CLOSING_INTENTS

SUMMARY_NEEDS = 3


def play_sales_turn(ctx: TurnContext) -> None:
    """Dispatch one candidate turn in a sales conversation."""
    r = ctx.reading
    intent = r.intent
    if intent == "goodbye":
        ctx.voice.say("goodbye")
        ctx.end("no_deal")
        return
    if raise_objection(ctx, "keyword") is not None:
        return  # a pet hate (« la planète », « pas cher »…): the persona reacts to that first
    reread(ctx, sales_intent(ctx))  # NLU noise: the text and the signals may overrule the intent
    if ctx.persona.negotiation is not None:
        note_wants_named(ctx, ctx.persona.negotiation)
        withdraw_disowned(ctx, ctx.persona.negotiation)  # « je n'ai jamais proposé … »: before anything else
        withdraw_computed_agreement(ctx, ctx.persona.negotiation)
    if ctx.reading.intent == OPEN_QUESTION and ctx.reading.intent != r.intent:
        # A question re-read out of an argument or an offer is answered on its own sentence: the
        # lead-in's words (« un outil de planification… Et votre flotte ? ») must not pick the topic.
        if intent == "greet" and not ctx.state.greeted:
            _greet(ctx)  # « Bonjour, merci de me recevoir. Comment … ? »: greeted back, then answered
        ctx.reading = question_part(ctx.reading)
    r = ctx.reading
    intent = r.intent
    # After the yes on the price, a question that restates that price (« à 2 960 000 €, vous portez le
    # dossier au comité, oui ou non ? ») asks for the commitment: a closing, never « Déjà dit. Suivant. »
    confirms_deal = price_agreed(ctx) and "?" in r.text and closing_recap(ctx)
    if intent in CLOSING_INTENTS or confirms_deal or (
            closing_recap(ctx) and (r.summary_cue or r.asks_agreement or r.next_steps)):
        if false_recap(ctx):
            return  # the persona sets the facts right before any yes
        if r.summary:
            ctx.state.summary_turn = ctx.state.turn  # a recap that closes is still the recap
        close(ctx)
        return
    if intent == "summarize" or (r.summary and not r.open_question):
        summarize(ctx)
        return
    price_turn = intent in PRICE_INTENTS or (r.amount is not None and intent == "present_offer")
    answered = bool(ctx.state.open_objections) and intent in OBJECTION_ANSWER_INTENTS and handle_objections(ctx)
    if answered and not (price_turn and (r.offers_price or (r.content and r.price is not None))):
        # « …, c'est réglé. Et vos concurrents, ils garantissent quel délai ? »: the question is answered too
        answer_named_topic(ctx, information_only=True)
        return  # an argument quoting figures (« 900 € l'heure d'arrêt ») is not a price offer
    if price_turn and price_talk(ctx):
        return
    if r.reformulation and r.asks_information and r.accuracy != "inaccurate" and not r.summary:
        # « Si je reformule : 40 km, retour au dépôt le soir. Et Didier, qui est-il ? »: the restatement
        # is heard (trust), the question is what the persona answers, never « C'est exactement cela. » alone.
        _credit_restatement(ctx)
        ctx.reading = question_part(r)
        r = ctx.reading
        if answer_named_topic(ctx):
            return
    if _wrong_statement(ctx) or answer_fact(ctx):
        return  # a factual question gets the fact; a wrong figure is set right
    if intent in {"greet", "introduce_self"}:
        if not ctx.state.greeted:
            _greet(ctx)
            return
        if not r.is_question:
            ctx.voice.say("small_talk")
            return
    if intent == "small_talk":
        ctx.state.small_talk += 1
        if ctx.state.small_talk <= ctx.persona.personality.small_talk_patience:
            ctx.adjust(trust=0.03)
            ctx.voice.say("small_talk")
        else:
            ctx.adjust(trust=-0.03, tension=0.04)
            ctx.voice.say("small_talk_too_much")
        return
    if intent == "out_of_scope":
        ctx.voice.say("out_of_scope")
        return
    if intent == "apologize":
        ctx.adjust(trust=0.03, tension=-0.15)
        ctx.voice.say("apology_ack")
        return
    if intent == "express_empathy":
        ctx.adjust(trust=0.05, tension=-0.06)
        ctx.voice.say("empathy_ack")
        return
    if r.reformulation:
        handle_objections(ctx)
        reformulate(ctx)
        answer_named_topic(ctx, information_only=True)  # « Si je vous suis, … Et qui décide ? »: answered too
        return
    if intent in {"present_offer", "propose_solution"}:
        present_offer(ctx)
        return
    if r.open_question or intent in {"invite_to_speak", "reframe"}:
        resolved = handle_objections(ctx) if ctx.state.open_objections else False
        if not resolved or r.open_question:
            answer_open_question(ctx)
        return
    if answer_named_topic(ctx):
        return  # a direct question on a fact or a need, whatever intent the NLU gave the turn
    if r.closed_question:
        answer_closed_question(ctx)
        return
    if intent == "handle_objection":
        ctx.adjust(trust=0.02)
        ctx.voice.say("assertive_ack")
        return
    ctx.voice.say("assertive_ack" if r.assertive or intent == "assertive_statement" else "open_generic")


# Intents whose turn may carry the argument that answers an open objection (with its resolution words).
OBJECTION_ANSWER_INTENTS = frozenset(
    {"handle_objection", "apologize", "present_offer", "assertive_statement", "propose_solution", *PRICE_INTENTS}
)


def _wrong_statement(ctx: TurnContext) -> bool:
    """A plain statement or a question that the reading found wrong against the persona's words is
    corrected like a wrong reformulation (the reformulation path already does this)."""
    r = ctx.reading
    if r.reformulation or r.accuracy != "inaccurate" or not r.mismatches:
        return False
    if r.intent not in CLAIM_INTENTS or r.price is not None or r.offers_price:
        return False
    return checked_reformulation(ctx)


REPEATED_DEFAULTS = [
    "Oui, vous me l'avez déjà dit. Et donc ?",
    "C'est ce que vous venez de dire. Où voulez-vous en venir ?",
    "On l'a déjà établi. La suite ?",
]


def _credit_restatement(ctx: TurnContext) -> None:
    """The trust an accurate restatement earns, without a line: the question of the same turn is answered."""
    fingerprint = " ".join(sorted(set(re.findall(r"\w{4,}", ctx.reading.folded))))[:300]
    if fingerprint in ctx.state.reformulations_heard or not accurate_reformulation(ctx):
        return
    ctx.state.reformulations_heard.append(fingerprint)
    ctx.state.reformulations += 1
    ctx.adjust(trust=0.06, tension=-0.03)
    ctx.event("reformulation_ok")


def _greet(ctx: TurnContext) -> None:
    ctx.state.greeted = True
    ctx.adjust(trust=0.04)
    ctx.voice.say("greeting")


def _agreed_price_restated(ctx: TurnContext) -> bool:
    neg, r = ctx.state.negotiation, ctx.reading
    if neg is None or neg.agreed_price is None:
        return False
    figures = {*r.own_figures, *(f for f in (r.amount, r.price) if f is not None)}
    return any(abs(f - neg.agreed_price) < 0.5 for f in figures)


def reformulate(ctx: TurnContext) -> None:
    ctx.state.closed_streak = 0
    if checked_reformulation(ctx):
        return
    if accurate_reformulation(ctx) or _agreed_price_restated(ctx):
        if needs_echoed(ctx) >= SUMMARY_NEEDS or _agreed_price_restated(ctx):
            ctx.state.summary_turn = ctx.state.turn  # a reformulation covering several needs is a summary
            ctx.event("summary_by_reformulation")
        ctx.state.reformulations += 1
        ctx.adjust(trust=0.1, tension=-0.05)
        ctx.event("reformulation_ok")
        ctx.voice.say("reformulation_ok")
    else:
        ctx.event("reformulation_off")
        ctx.voice.say("reformulation_off")


def false_recap(ctx: TurnContext, speaker: str | None = None) -> bool:
    """A recap that gets the persona's own facts wrong is set right, never confirmed. True if it spoke.

    Why: « C'est exactement cela » to a recap of the whole meeting with the fleet, the budget and the
    decision-maker all changed taught the candidate that the recap was right, and the closing went on
    from it. The reading checks a recap against everything the persona said (``summary_accuracy``);
    a wrong one (several facts, or the main one) is corrected with the first fact and earns no trust;
    the session goes on. A recap only partly off is left to the usual answer (one figure may be the
    candidate's arithmetic, not a misquote).
    """
    r = ctx.reading
    if r.summary_accuracy != "inaccurate" or not r.summary_mismatches:
        return False
    correction = spoken_correction(r.summary_mismatches[0])
    if not correction:
        return False
    ctx.adjust(trust=-0.02)
    ctx.event("summary_inaccurate")
    ctx.voice.say_or("summary_correct", SUMMARY_CORRECT_DEFAULTS, speaker, correction=correction)
    return True


SUMMARY_CORRECT_DEFAULTS = [
    "Attendez, ce n'est pas ce que je vous ai dit : {correction}.",
    "Je vous arrête : {correction}. Reprenez sur cette base.",
]


def checked_reformulation(ctx: TurnContext, speaker: str | None = None) -> bool:
    """React to a restatement the reading checked against the persona's words. True if it spoke.

    Wrong: corrected with the right fact, no trust. Repeated: noted, no trust (a candidate must not
    farm trust by restating the same thing). Partly right: confirmed with the correction, a little trust.
    """
    r = ctx.reading
    if r.accuracy is None:
        return False
    fingerprint = " ".join(sorted(set(re.findall(r"\w{4,}", r.folded))))[:300]
    if fingerprint in ctx.state.reformulations_heard:
        ctx.event("reformulation_repeated")
        ctx.voice.say_or("reformulation_repeated", REPEATED_DEFAULTS, speaker)
        return True
    ctx.state.reformulations_heard.append(fingerprint)
    correction = spoken_correction(r.mismatches[0]) if r.mismatches else ""
    if r.accuracy == "inaccurate":
        ctx.adjust(trust=-0.02)
        ctx.event("reformulation_inaccurate")
        if correction:
            ctx.voice.say_or("reformulation_correct", "Non, ce n'est pas ce que j'ai dit : {correction}.", speaker,
                             correction=correction)
        else:
            ctx.voice.say("reformulation_off", speaker)
        return True
    if r.accuracy == "partial" and correction:
        ctx.adjust(trust=0.03)
        ctx.event("reformulation_partial")
        ctx.voice.say_or("reformulation_correct", "En partie. Je précise : {correction}.", speaker,
                         correction=correction)
        return True
    if r.accuracy == "accurate" and not accurate_reformulation(ctx):
        # True to what the persona said, even if it is no need yet: being heard builds trust.
        ctx.state.reformulations += 1
        ctx.adjust(trust=0.06, tension=-0.03)
        ctx.event("reformulation_ok")
        ctx.voice.say("reformulation_ok", speaker)
        return True
    return False


_FIGURE_MISMATCH = re.compile(r"« (?P<said>.+?) » au lieu de « (?P<right>.+?) »")
_CLAUSE_MISMATCH = re.compile(r"« (?P<said>.+?) » contredit « (?P<right>.+?) »")
# « votre DG » : personne que l'interlocuteur n'a pas citée / « tout seul » : généralisation absente des propos
_UNSAID_MISMATCH = re.compile(r"^« (?P<said>.+?) » : ")


def spoken_correction(mismatch: str) -> str:
    """The reading's evidence (« 300 km » au lieu de « 120 km ») as the persona says it."""
    m = _FIGURE_MISMATCH.search(mismatch)
    if m:
        return f"c'est {m.group('right')}, pas {m.group('said')}"
    m = _CLAUSE_MISMATCH.search(mismatch)
    if m:
        return f"j'ai dit « {m.group('right')} »"
    m = _UNSAID_MISMATCH.search(mismatch)
    if m:
        said = m.group("said")
        return f"je n'ai pas parlé de « {said} »" if "personne" in mismatch else f"je n'ai pas dit « {said} »"
    # Never the reader's evidence as such: it is written for the juror, not said by a person.
    return ""


def closing_recap(ctx: TurnContext) -> bool:
    """Bloc 4: a recap of the terms (the price on the table or agreed, said again) that asks for the
    buyer's yes or sets the next steps: the seller's closing, whatever the NLU called it."""
    r, neg = ctx.reading, ctx.state.negotiation
    if ctx.persona.negotiation is None:
        return meeting_recap(ctx)
    if neg is None:
        return False
    on_table = neg.agreed_price if neg.agreed_price is not None else standing_offer(ctx)
    if on_table is None:
        return False
    figures = {*r.own_figures, *(f for f in (r.price, r.amount) if f is not None)}
    restated = any(abs(f - on_table) < 0.5 for f in figures)
    # A recap with a revised price of the seller's (« je récapitule : 2 968 000 €, convention sur deux
    # ans… ») closes on that price: the buyer answers it (``settle_at_closing`` plays it as a round).
    revised = neg.agreed_price is None and r.price is not None and r.summary_cue
    # It asks for the yes (a question) or commits to what follows (the reading's next steps: « je vous
    # envoie le contrat vendredi »); a plain recap of the terms stays a recap.
    return (restated or revised) and (r.is_question or r.next_steps > 0)


def meeting_recap(ctx: TurnContext) -> bool:
    """Bloc 2: a recap that sets a dated next step and asks for the yes (« … rendez-vous mardi 14 avril
    à 10 h avec votre DAF. C'est bon pour vous ? ») is the closing, once the essential needs are known;
    earlier it stays a recap (the persona says what is missing, it does not refuse a signature)."""
    r = ctx.reading
    dated = r.has_date or bool(r.dates) or r.next_steps > 0
    enough = ctx.essential_revealed() >= ctx.persona.end_conditions.min_needs_revealed
    # A recap says back what the persona told (a revealed need): « je récapitule » alone recaps nothing.
    return enough and dated and r.is_question and r.proposes_next_step and accurate_reformulation(ctx)


def summarize(ctx: TurnContext) -> None:
    """A summary that covers what was discovered prepares the closing; a recap of the agreed (or
    offered) price and terms that asks for the yes is the closing itself."""
    ctx.state.summary_turn = ctx.state.turn
    if false_recap(ctx):
        return
    if closing_recap(ctx):
        ctx.event("closing_recap")
        close(ctx)
        return
    if price_agreed(ctx) and _agreed_price_restated(ctx):
        ctx.adjust(trust=0.04)
        ctx.event("summary_ok")
        ctx.voice.say("reformulation_ok")
        return
    if _recap_price_differs(ctx) or _recap_with_a_new_price(ctx):
        return
    if ctx.essential_revealed() >= ctx.persona.end_conditions.min_needs_revealed and accurate_reformulation(ctx):
        ctx.adjust(trust=0.06)
        ctx.event("summary_ok")
        ctx.voice.say("reformulation_ok")
    elif accurate_reformulation(ctx) and ctx.reading.accuracy != "inaccurate":
        # Right as far as it goes, too early: the persona says what is missing, never « that is not
        # what I said » to an accurate recap.
        ctx.event("summary_thin")
        ctx.voice.say_or("summary_incomplete", SUMMARY_INCOMPLETE_DEFAULT)
    else:
        ctx.event("summary_thin")
        ctx.voice.say("reformulation_off")


RECAP_PRICE_DIFFERS_DEFAULTS = [
    "Attendez : ce que nous avons conclu, c'est {prix}. Pas un autre chiffre.",
    "Non, pas ce prix-là : nous nous sommes mis d'accord sur {prix}.",
    "Je reprends sur le prix : nous avons dit {prix}.",
]


def _recap_price_differs(ctx: TurnContext) -> bool:
    """Bloc 4: a recap after the yes that states another price of the seller's than the one agreed.

    Why: « Oui. Bien noté. » to a recap at one price, then a closing that records another, is a buyer
    who approved what she did not hear; she sets the recap right with the engine's own record."""
    n, neg = ctx.persona.negotiation, ctx.state.negotiation
    if n is None or neg is None or neg.agreed_price is None:
        return False
    agreed = neg.agreed_price
    figures = [f for f in ctx.reading.own_figures if plausible_price(n, f)]
    if not figures or any(abs(f - agreed) < 0.5 for f in figures):
        return False
    ctx.event("recap_price_differs")
    ctx.voice.say_or("recap_price_differs", RECAP_PRICE_DIFFERS_DEFAULTS, prix=price_text(n, agreed))
    return True


def _recap_with_a_new_price(ctx: TurnContext) -> bool:
    """Bloc 4, no price agreed: a recap that states a price of the seller's not yet on the table
    (« on est donc d'accord sur 265 000 € ») is that price offered; the buyer answers it as a round.

    Why: « C'est juste » to a recap « d'accord sur » a price nobody had offered let the seller
    believe it was agreed; the buyer's yes to a price comes from the negotiation, never from a recap."""
    n, neg = ctx.persona.negotiation, ctx.state.negotiation
    if n is None or (neg is not None and neg.agreed_price is not None):
        return False
    offered = neg.candidate_offers if neg is not None else []
    fresh = [f for f in ctx.reading.own_figures
             if plausible_price(n, f) and not any(abs(f - o) < 0.5 for o in offered)]
    if not fresh:
        return False
    ctx.event("recap_with_new_price")
    negotiate(ctx, n)
    return True


def present_offer(ctx: TurnContext) -> None:
    ctx.advance("argumentation")
    ctx.state.offer_presented = True
    if ctx.essential_revealed() < max(1, ctx.persona.end_conditions.min_needs_revealed - 1):
        ctx.adjust(trust=-0.05)
        ctx.event("offer_premature")
        ctx.voice.say("offer_premature")
        raise_objection(ctx, "offer_before_discovery")
        return
    ctx.adjust(trust=0.03)
    ctx.voice.say("offer_interest")
    raise_objection(ctx, "offer_presented")




def _gives_discount(text: str, folded: str, amount: float | None) -> bool:
    """Does the turn name a discount (a percentage, « remise », an amount)?"""
    return amount is not None or has_cue(folded, "engine_discount")


def price_talk(ctx: TurnContext) -> bool:
    """Price, concessions, counterparts. Returns False when the turn is not really about price."""
    n = ctx.persona.negotiation
    r0 = ctx.reading
    if r0.intent == "concede" and r0.content and not r0.gives_ground and r0.price is None \
            and r0.discount is None and r0.amount is None:
        # The NLU says « concede » but the reading finds no offer, concession or figure of the seller's
        # (« 38 en Crit'Air 3, d'accord. Ça vous pose un souci ? »): « vous cédez sur le prix » would
        # answer words nobody said; the turn is answered for what it is.
        ctx.event("concede_without_move")
        return False
    if n is not None:
        negotiate(ctx, n)
        return True
    r = ctx.reading
    if r.intent == "concede":
        ctx.adjust(trust=-0.03)
        ctx.event("concession_without_counterpart")
        ctx.voice.say("pressure")
        return True
    if r.intent == "ask_counterpart":
        if not _gives_discount(r.text, r.folded, r.amount):
            return False  # « Qu'est-ce que vous pourriez faire de votre côté ? »: not about price
        # « Je peux vous faire 15 % si vous signez ce mois-ci »: a discount traded for a commitment is
        # still a price given away before any objection, but a milder one than a bare concession.
        ctx.adjust(trust=-0.01)
        ctx.event("concession_with_counterpart")
        ctx.voice.say("pressure")
        return True
    ctx.advance("argumentation")
    if ctx.essential_revealed() < max(1, ctx.persona.end_conditions.min_needs_revealed - 1):
        ctx.event("price_before_discovery")
        ctx.adjust(trust=-0.05, tension=0.05)
        if raise_objection(ctx, "price_before_discovery") is None:
            ctx.voice.say("offer_premature")
        return True
    if raise_objection(ctx, "price_proposed") is None:
        ctx.voice.say("offer_interest")
    return True


DEAL_RECAP_DEFAULT = "Je récapitule de mon côté : {prix}{contreparties}."
SUCCESS_WITH_DATE_DEFAULT = "Entendu pour {date} : je bloque le créneau."


def _say_success(ctx: TurnContext) -> None:
    """The persona's yes, with the terms the engine actually recorded: the agreed price and the
    counterparts (Bloc 4), or the date the candidate proposed (a meeting) — never another day, never
    « les conditions dont nous avons parlé » when none were."""
    st, n = ctx.state, ctx.persona.negotiation
    if n is not None and st.negotiation is not None and st.negotiation.agreed_price is not None:
        labels = [cp.label for cp in n.can_give if cp.id in st.negotiation.counterparts_obtained]
        # « en contrepartie d'un engagement », « … du paiement »: the slot meets « de » (elision, contraction).
        traded = join_french(", en contrepartie de ", join_list_fr(labels)) if labels else ""
        ctx.voice.say_or("deal_recap", DEAL_RECAP_DEFAULT, prix=price_text(n, st.negotiation.agreed_price),
                         contreparties=traded)
    if n is None and st.proposed_date is not None:
        ctx.voice.say_or("success_with_date", SUCCESS_WITH_DATE_DEFAULT,
                         date=spoken_date(st.proposed_date, said=st.proposed_date_text))
        return
    ctx.voice.say("success")


def price_agreed(ctx: TurnContext) -> bool:
    """Bloc 4: the buyer has said yes to a price (an agreement the persona does not take back)."""
    neg = ctx.state.negotiation
    return ctx.persona.negotiation is not None and neg is not None and neg.agreed_price is not None


def close(ctx: TurnContext) -> None:
    """Closing attempt: needs discovered, objections resolved, price agreed (bloc 4), summary.

    Once the buyer has agreed a price, the agreement stands: the closing is no longer refused for a
    need not yet told or an objection raised before the yes (the persona's last-minute objection of
    the closing, if it has one, is still raised once and must be answered).
    Without an agreed price, the buyer answers the seller's offer on the table (``settle_at_closing``).
    """
    ctx.advance("conclusion")
    st, p = ctx.state, ctx.persona
    st.closing_attempts += 1
    ec = p.end_conditions
    agreed = price_agreed(ctx)
    # A price the buyer would settle on now (traded, inside its zone) is a negotiation concluded: the
    # count of needs told no longer blocks it (discovery was required before any price talk).
    settles = not agreed and p.negotiation is not None and would_settle(ctx, p.negotiation)
    enough = agreed or settles or ctx.essential_revealed() >= ec.min_needs_revealed
    # After the yes on the price, only the last-minute objection of the closing itself still blocks.
    open_objections = [o for o in st.open_objections if not agreed or objection(ctx, o).trigger == "closing_attempt"]
    if enough and open_objections:
        answered = resolved_in_passing(ctx, open_objections)  # the recap that closes may answer it
        open_objections = [o for o in open_objections if o not in answered]
    if enough and not open_objections and raise_objection(ctx, "closing_attempt") is not None:
        st.closing_objection_turn = st.turn
        return  # a last-minute objection (« et si ça ne marche pas ? ») before any commitment
    if not enough:
        ctx.adjust(trust=-0.05)
        ctx.event("closing_premature")
        ctx.voice.say("closing_premature")
    elif ec.require_objections_resolved and open_objections:
        ctx.event("closing_open_objection")
        ctx.voice.say("closing_open_objection")
        say_unresolved(ctx, objection(ctx, open_objections[-1]))
    elif p.negotiation is not None and not agreed and not settle_at_closing(ctx, p.negotiation):
        ctx.event("closing_without_price")
        if not ctx.voice.lines:
            ctx.voice.say("closing_premature")
    elif ec.require_summary and not ctx.summary_recent():
        ctx.event("closing_without_summary")
        ctx.voice.say("closing_without_summary")
        if agreed:
            return  # the price is agreed: the buyer wants the recap, it never breaks off for its lack
    else:
        outcome = deal_outcome(ctx, p.negotiation) if p.negotiation is not None else ec.success_outcome
        _say_success(ctx)
        ctx.end(outcome)
        return
    if st.closing_attempts >= ec.max_closing_attempts and not st.ended:
        ctx.voice.say("no_deal")
        ctx.end("no_deal")
