"""Bloc 4 price negotiation from the buyer's side, with hidden thresholds.

Rules (why they exist in a trainer):
- the buyer moves only when the seller's concession comes with a counterpart (« si vous vous
  engagez sur trois ans… »): a free concession is pocketed and answered with more pressure;
- each move follows ``concession_pattern`` (shrinking steps), always below ``walk_away``, which is
  never said: counter-offers are rounded down and the pattern sums to less than 1;
- an offer at or below the buyer's current position, or at or below the target, is accepted;
- after ``patience_rounds`` price rounds the buyer either accepts a last offer inside the zone
  (with the minimum counterparts) or breaks off.
"""

from __future__ import annotations

import math

from personas.engine.context import TurnContext
from personas.engine.discovery import raise_objection
from personas.engine.french import join_list_fr
from personas.engine.models import NegotiationState
from personas.engine.reading import mentions
from personas.engine.voice import format_price
from personas.schema import Counterpart, Negotiation

# Bounds of what can be a price for the contract, relative to the buyer's opening and the list price.
PLAUSIBLE_LOW = 0.5
PLAUSIBLE_HIGH = 2.0


def position(n: Negotiation, step: int) -> float:
    """The buyer's ceiling after ``step`` moves: rounded down, strictly below ``walk_away``."""
    share = sum(n.concession_pattern[:step])
    raw = n.opening + (n.walk_away - n.opening) * share
    value = math.floor(raw / n.rounding) * n.rounding
    while value >= n.walk_away:
        value -= n.rounding
    return max(value, n.opening) if step else n.opening


def price_text(n: Negotiation, value: float) -> str:
    """The price as said aloud. The same wording at every price: an acceptance worded differently
    at the limit would tell the candidate where the limit is. Counter-offers stay strictly below
    the walk-away (``position``), so the buyer never says it first."""
    return format_price(value, n.unit_label)


def plausible_price(n: Negotiation, amount: float) -> bool:
    """A figure far from the deal's scale (« 900 € l'heure d'arrêt ») is not a price for the contract."""
    return PLAUSIBLE_LOW * n.opening <= amount <= PLAUSIBLE_HIGH * n.candidate_list_price


def named_counterparts(ctx: TurnContext, n: Negotiation, st: NegotiationState) -> list[Counterpart]:
    """The counterparts not yet obtained that the turn asks for (« sur trois ans, avec la référence
    client et un paiement à 30 jours »): a seller who packages several is trading each of them."""
    folded = ctx.reading.folded
    return [cp for cp in n.can_give if cp.id not in st.counterparts_obtained and mentions(folded, cp.keywords)]


def named_counterpart(ctx: TurnContext, n: Negotiation, st: NegotiationState) -> Counterpart | None:
    named = named_counterparts(ctx, n, st)
    return named[0] if named else None


def offer_among_fallbacks(ctx: TurnContext, n: Negotiation, st: NegotiationState) -> float | None:
    """« 318 000 € à ces conditions ; sans elles, le prix reste à 348 000 € »: of the seller's own
    figures, the list price and the offer already on the table are what stands without the deal; when
    exactly one other price remains, it is the offer (several new ones: the buyer asks which)."""
    known = [n.candidate_list_price, *st.candidate_offers[-1:]]
    fresh = {f for f in ctx.reading.own_figures
             if plausible_price(n, f) and all(abs(f - k) >= 0.5 for k in known)}
    return fresh.pop() if len(fresh) == 1 else None


def note_wants_named(ctx: TurnContext, n: Negotiation) -> None:
    """Remember the buyer's wants the candidate's turn names (granted, offered or discussed)."""
    for want in n.wants_in_exchange:
        if want.id not in ctx.state.wants_named and want.keywords and mentions(ctx.reading.folded, want.keywords):
            ctx.state.wants_named.append(want.id)


def _same(a: float, b: float) -> bool:
    return abs(a - b) < 0.5


def withdraw_disowned(ctx: TurnContext, n: Negotiation) -> list[float]:
    """The seller disowns a figure the engine recorded as theirs: withdraw it (and the price agreed on it).

    Why: « je n'ai jamais proposé 2 859 500, ma proposition c'est 3 010 000 » — a buyer who keeps a
    price the seller explicitly denied, then records it in the final terms, is not listening. The
    reading says whose figure each amount is: a figure recorded among the seller's offers that the
    seller's turn now gives as the buyer's (``partner_figure``) while the buyer never said it is a
    figure the seller does not own. Returns the figures withdrawn (a line acknowledges them).
    """
    st = ctx.state.negotiation
    r = ctx.reading
    if st is None or not r.content or not st.candidate_offers:
        return []
    disowned = [f for f in dict.fromkeys(r.partner_figures)
                if any(_same(f, o) for o in st.candidate_offers)
                and not any(_same(f, o) for o in st.persona_offers)
                and not any(_same(f, o) for o in r.own_figures)]
    for figure in disowned:
        st.candidate_offers = [o for o in st.candidate_offers if not _same(o, figure)]
        st.withdrawn_offers.append(figure)
        ctx.event(f"offer_withdrawn:{figure:g}")
        if st.agreed_price is not None and _same(st.agreed_price, figure):
            st.agreed_price = None  # the yes was given to a price nobody proposed: the talk resumes
            ctx.state.stage = "negociation"
            ctx.event("agreement_withdrawn")
        ctx.voice.say_or("offer_withdrawn", OFFER_WITHDRAWN_DEFAULTS, prix=price_text(n, figure))
    return disowned


def withdraw_computed_agreement(ctx: TurnContext, n: Negotiation) -> bool:
    """A yes the buyer gave to a price she computed herself is dropped when the seller names another.

    Why: « -25 %, ce serait autour de 180 000 € » read as a discount let the buyer compute 180 000 €
    and say « Va pour 180 000 € »; the seller answered « 180 000 €, je ne peux pas : 212 000 € » four
    times and the buyer, holding her yes, closed the deal at 180 000 € below the seller's floor. A
    price the seller never said is the buyer's arithmetic, not the seller's word: when the seller's
    turn states their own price and it is not that one, the computed figure is withdrawn, the talk
    resumes and the turn is played as a round. A price the seller did say stays agreed (a seller
    who raises an agreed price is held to it). Returns True when the agreement was withdrawn.
    """
    st = ctx.state.negotiation
    r = ctx.reading
    if st is None or st.agreed_price is None or not any(_same(st.agreed_price, d) for d in st.derived_offers):
        return False
    agreed = st.agreed_price
    said = [f for f in (*r.own_figures, *(x for x in (r.price,) if x is not None)) if plausible_price(n, f)]
    if not said or any(_same(f, agreed) for f in said):
        return False
    st.agreed_price = None
    st.candidate_offers = [o for o in st.candidate_offers if not _same(o, agreed)]
    st.withdrawn_offers.append(agreed)
    ctx.state.stage = "negociation"
    ctx.event(f"offer_withdrawn:{agreed:g}")
    ctx.event("agreement_withdrawn")
    ctx.voice.say_or("computed_price_withdrawn", COMPUTED_PRICE_WITHDRAWN_DEFAULTS, prix=price_text(n, agreed))
    return True


def _demand(ctx: TurnContext, n: Negotiation, st: NegotiationState) -> None:
    """Ask for something in exchange: a want not asked yet, else one asked but never answered.

    Why: « Et j'aurais besoin d'un délai sous 4 heures » after the candidate granted the 4 hours sounds
    like a buyer who did not listen; when every want was named, the pressure line says it all."""
    note_wants_named(ctx, n)
    unheard = [w for w in n.wants_in_exchange if w.id not in ctx.state.wants_named]
    pending = [w for w in unheard if w.id not in st.demands_made]
    if not unheard:
        ctx.event("demand:none_left")
        if not ctx.voice.lines:
            ctx.voice.say("pressure")
        return
    want = pending[0] if pending else unheard[len(st.demands_made) % len(unheard)]
    if want.id not in st.demands_made:
        st.demands_made.append(want.id)
    ctx.event(f"demand:{want.id}")
    ctx.voice.say("demand", demande=want.label)


def _accept(ctx: TurnContext, n: Negotiation, st: NegotiationState, amount: float) -> None:
    st.agreed_price = amount
    ctx.advance("conclusion")
    ctx.event("price_agreed")
    ctx.voice.say("price_accept", prix=price_text(n, amount))


def _counter(ctx: TurnContext, n: Negotiation, st: NegotiationState) -> None:
    offer = position(n, st.step)
    st.persona_offer = offer
    st.persona_offers.append(offer)
    ctx.voice.say("counter_offer", prix=price_text(n, offer))


def negotiate(ctx: TurnContext, n: Negotiation) -> None:
    """One negotiation turn (propose_price, concede or ask_counterpart)."""
    st = ctx.state.negotiation or NegotiationState()
    ctx.state.negotiation = st
    r = ctx.reading
    if st.agreed_price is not None:
        ctx.voice.say("nothing_new")
        return
    new_offer = offer_among_fallbacks(ctx, n, st) if r.offer_ambiguous else None
    if r.offer_ambiguous and new_offer is None:
        # « 209 000 € ou 205 000 € sur trois ans »: the buyer will not pick the lower one for you.
        ctx.event("offer_ambiguous")
        ctx.voice.say_or("ask_exact_offer", ASK_EXACT_OFFER_DEFAULTS)
        return
    price = r.price if r.price is not None and plausible_price(n, r.price) else new_offer
    if price is None and r.discount is not None:
        if r.content and not r.gives_ground:
            # « 2 874 000, c'est +2,6 %, sous les 5 % attestés : je ne signe pas »: a percentage in a
            # turn where the reading finds no offer, concession or condition argues; it is no discount.
            # The buyer never computes a price the seller did not give: it asks for one.
            ctx.event("discount_not_offered")
            ctx.voice.say_or("ask_exact_offer", ASK_EXACT_OFFER_DEFAULTS)
            return
        # « je vous fais 5 % »: off the candidate's last price, else off the list price.
        base = st.candidate_offers[-1] if st.candidate_offers else n.candidate_list_price
        price = round(base * (1 - r.discount / 100), 2)
        st.derived_offers.append(price)
        ctx.event(f"discount_applied:{r.discount:g}")
    early = ctx.essential_revealed() < n.needs_before_price and not st.candidate_offers
    if early and price is not None and raise_objection(ctx, "price_before_discovery") is not None:
        st.candidate_offers.append(price)
        return
    ctx.advance("negociation")
    counterpart = named_counterpart(ctx, n, st)
    if price is None:
        if counterpart is not None and r.intent == "ask_counterpart":
            ctx.voice.say("demand", demande=next(iter(n.wants_in_exchange)).label)
        elif r.intent == "concede":
            st.candidate_concessions += 1
            st.concessions_without_counterpart += counterpart is None
            ctx.event("concession_without_counterpart" if counterpart is None else "concession_vague")
            ctx.voice.say("pressure")
            _demand(ctx, n, st)
        else:
            _demand(ctx, n, st)
        return
    amount = price
    previous = st.candidate_offers[-1] if st.candidate_offers else None
    st.candidate_offers.append(amount)
    st.rounds += 1
    if previous is None:
        raise_objection(ctx, "price_proposed")
    conceded = previous is not None and amount < previous
    if conceded:
        st.candidate_concessions += 1
        if counterpart is not None:
            granted = named_counterparts(ctx, n, st)
            for cp in granted:  # each counterpart traded is one move of the buyer, never past the pattern
                st.counterparts_obtained.append(cp.id)
                ctx.event(f"counterpart:{cp.id}")
                if st.step < len(n.concession_pattern):
                    st.step += 1
                    st.persona_concessions += 1
            ctx.voice.say("counterpart_granted", contrepartie=join_list_fr([cp.label for cp in granted]))
        else:
            st.concessions_without_counterpart += 1
            ctx.event("concession_without_counterpart")
    if amount <= position(n, st.step) or amount <= n.target:
        _accept(ctx, n, st, amount)
        return
    if st.rounds >= n.patience_rounds:
        if amount <= n.walk_away and len(st.counterparts_obtained) >= n.min_counterparts_for_deal:
            _accept(ctx, n, st, amount)
        else:
            ctx.event("price_break")
            ctx.voice.say("price_break")
            ctx.end("no_deal")
        return
    if conceded and counterpart is None:
        ctx.voice.say("pressure")
        _demand(ctx, n, st)
        return
    if previous is not None and amount > previous * 1.001:
        # A price that went up after a lower one: the buyer remembers and holds the lower one.
        ctx.event("price_raised")
        ctx.voice.say_or("price_raised", PRICE_RAISED_DEFAULT, avant=price_text(n, previous),
                         prix=price_text(n, amount))
    elif not conceded and previous is not None:
        ctx.voice.say("price_too_high")
    _counter(ctx, n, st)


def standing_offer(ctx: TurnContext) -> float | None:
    """The candidate's offer on the table: the last price they proposed (None before any)."""
    st = ctx.state.negotiation
    return st.candidate_offers[-1] if st is not None and st.candidate_offers else None


def acceptable_final_offer(n: Negotiation, st: NegotiationState, amount: float) -> bool:
    """Would the buyer say yes to ``amount`` as the seller's last word?

    At or below the buyer's current position or the target: yes, as in any round. Above it, yes only
    within the walk-away (never beyond: the hidden limit holds), once the seller has traded the
    minimum counterparts and the buyer has already countered at least once (a price was negotiated,
    not announced): a seller who closes firmly on a traded price inside the zone gets the deal a real
    buyer would give, without the rounds of patience a weaker closing needs.
    """
    if amount <= position(n, st.step) or amount <= n.target:
        return True
    traded = len(st.counterparts_obtained) >= n.min_counterparts_for_deal
    return amount <= n.walk_away and traded and bool(st.persona_offers)


def would_settle(ctx: TurnContext, n: Negotiation) -> bool:
    """Would the buyer say yes at this closing to the price on the table (or said now)? No side effect."""
    st = ctx.state.negotiation
    if st is None or not st.candidate_offers:
        return False
    r = ctx.reading
    said = r.price if r.price is not None and plausible_price(n, r.price) else None
    amount = said if said is not None and said < st.candidate_offers[-1] else st.candidate_offers[-1]
    if said is not None and said != amount:
        return False  # a price raised at the closing is not settled on
    return acceptable_final_offer(n, st, amount)


def settle_at_closing(ctx: TurnContext, n: Negotiation) -> bool:
    """A closing (« on conclut sur cette base ? », a recap of the terms) without an agreed price: the
    buyer answers the offer on the table. True if a price is agreed now; else the buyer holds (a
    counter-offer below the walk-away, never above it)."""
    st = ctx.state.negotiation
    if st is None or not st.candidate_offers:
        return False
    if st.agreed_price is not None:
        return True
    r = ctx.reading
    said = r.price if r.price is not None and plausible_price(n, r.price) else None
    if said is not None and said != st.candidate_offers[-1]:
        negotiate(ctx, n)  # a new price said at the closing is a round like any other
        return st.agreed_price is not None
    amount = st.candidate_offers[-1]
    if acceptable_final_offer(n, st, amount):
        ctx.event("final_offer_accepted")
        _accept(ctx, n, st, amount)
        return True
    ctx.event("final_offer_refused")
    ctx.voice.say("price_too_high")
    if st.persona_offer is None or st.persona_offer < position(n, st.step):
        _counter(ctx, n, st)
    return False


PRICE_RAISED_DEFAULT = "Tout à l'heure, vous étiez à {avant}. Maintenant {prix} ? Je retiens votre premier chiffre."
OFFER_WITHDRAWN_DEFAULTS = [
    "Entendu, je raye {prix} de mes notes.",
    "Bien : {prix}, je le retire de mes notes. Je corrige.",
    "Dont acte : {prix} n'était pas une proposition. Je le retire.",
]
COMPUTED_PRICE_WITHDRAWN_DEFAULTS = [
    "{prix}, c'était mon calcul, pas votre proposition. Je le retire : reprenons.",
    "Bien, j'avais compris {prix}. Ce n'est pas votre chiffre : je l'efface.",
]
ASK_EXACT_OFFER_DEFAULTS = [
    "Vous me proposez combien, exactement ? Un seul prix, s'il vous plaît.",
    "J'entends plusieurs chiffres. Lequel est votre proposition ?",
    "Soyons clairs : quel prix me proposez-vous, précisément ?",
]


def deal_outcome(ctx: TurnContext, n: Negotiation) -> str:
    """``deal`` when the price holds the seller's floor with the required counterparts."""
    st = ctx.state.negotiation or NegotiationState()
    price = st.agreed_price or 0.0
    st.deal = True
    st.final_price = price
    good = price >= n.candidate_floor and len(st.counterparts_obtained) >= n.min_counterparts_for_deal
    return "deal" if good else "deal_below_floor"
