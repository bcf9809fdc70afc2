"""Entry points of the engine: ``opening_lines`` and ``play_turn`` (see docs/contracts.md).

Pure and deterministic: no I/O, no global random; every choice comes from
``random.Random(f"{seed}:{turn}:…")`` so a session replays identically.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from personas.engine.context import TurnContext
from personas.engine.french import WEEKDAY
from personas.engine.mediation import aggression, check_walkout, play_mediation_turn
from personas.engine.models import CandidateTurn, EngineState, Line, MemberState, TurnResult
from personas.engine.questions import answer_named_topic
from personas.engine.reading import read_turn
from personas.engine.rereading import OPEN_QUESTION, reread
from personas.engine.sales import play_sales_turn
from personas.engine.thresholds import draw_thresholds, with_thresholds
from personas.engine.voice import Voice
from personas.schema import Persona

AGGRESSION_TENSION = 0.35
AGGRESSION_TRUST = -0.15
MONOLOGUE_TENSION = 0.08
HARSH_TRUST = -0.03
HARSH_TENSION = 0.08


def initial_state(persona: Persona) -> EngineState:
    """The state before the first candidate turn."""
    members = {}
    if persona.team is not None:
        members = {m.speaker: MemberState(tension=m.initial_tension) for m in persona.team.members}
    tension = max([persona.personality.initial_tension, *(m.tension for m in members.values())])
    return EngineState(
        persona_id=persona.id,
        persona_version=persona.version,
        trust=persona.personality.initial_trust,
        tension=tension,
        members=members,
    )


def load_state(persona: Persona, state: dict[str, Any] | None) -> EngineState:
    if not state:
        return initial_state(persona)
    loaded = EngineState.model_validate(state)
    if loaded.persona_id != persona.id:
        raise ValueError(f"state of persona {loaded.persona_id!r} given to persona {persona.id!r}")
    return loaded


def opening_lines(persona: Persona, seed: int) -> list[Line]:
    """What the persona says when the session opens (empty if it has no ``opening`` lines)."""
    state = initial_state(persona)
    voice = Voice(persona, state, seed)
    for speaker in persona.speakers:
        if voice.has("opening", speaker.id):
            voice.say("opening", speaker.id)
    return voice.lines


def play_turn(persona: Persona, state: dict[str, Any] | None, turn: CandidateTurn, seed: int) -> TurnResult:
    """Play the persona's answer to one candidate turn and return the new state.

    A Bloc 4 buyer plays with the thresholds drawn for this session (recorded in the state on the
    first turn, then reused as recorded: a later change of the persona's band does not move them).
    """
    st = load_state(persona, state)
    if persona.negotiation is not None:
        if st.thresholds is None:
            st.thresholds = draw_thresholds(persona.negotiation, seed)
        persona = with_thresholds(persona, st.thresholds)
    if st.ended:
        return TurnResult(lines=[], state=st.model_dump(mode="json"), ended=True, outcome=st.outcome)
    st.turn += 1
    ctx = TurnContext(persona=persona, state=st, reading=read_turn(turn),
                      voice=Voice(persona, st, seed, heard=turn.text))
    meeting = meeting_date(ctx.reading.dates, explicit_before=st.proposed_date is not None)
    if meeting is not None:
        st.proposed_date_text, st.proposed_date = meeting
    _play(ctx)
    if not st.ended:
        _patience(ctx)
    if not st.ended and st.turn >= persona.personality.max_turns:
        ctx.voice.say("timeout")
        ctx.end("no_agreement" if persona.bloc == 5 else "no_deal")
    return TurnResult(lines=ctx.voice.lines, state=st.model_dump(mode="json"), ended=st.ended, outcome=st.outcome)


_DAY_NUMBER = re.compile(r"\d")  # « 2 juin », « 14/04 »: a day the calendar can place


def meeting_date(dates: tuple[tuple[str, str], ...], explicit_before: bool) -> tuple[str, str] | None:
    """The date the turn proposes for the next meeting: the most precise one it names (« lundi 2 juin
    à 14 h 30 » over a bare « dimanche » said about something else, over a relative « demain »), the
    last of equals. ``dates`` are the reading's (deadlines and delays already left out by the reader);
    a relative day replaces nothing already named but, alone, is the proposal."""
    named = [d for d in dates if _DAY_NUMBER.search(d[0]) or WEEKDAY.search(d[0])]
    if named:
        best = max(range(len(named)), key=lambda i: (bool(_DAY_NUMBER.search(named[i][0])), i))
        return named[best]
    return None if explicit_before or not dates else dates[-1]


ENGLISH_DEFAULT = "Pardon, mais je préfère qu'on continue en français : c'est la langue de notre échange."


def _english(ctx: TurnContext) -> None:
    """A turn written in English: one request, in character, to go on in French; afterwards the persona
    asks for clarification. Never a goodbye, a deal or an argument, whatever the NLU made of it."""
    st, p = ctx.state, ctx.persona
    st.english_turns += 1
    ctx.event("english")
    speaker = p.speakers[st.turn % len(p.speakers)].id
    if st.english_turns == 1:
        ctx.voice.say_or("english", ENGLISH_DEFAULT, speaker)
    else:
        ctx.voice.say("clarify", speaker)


def _addressed_member(ctx: TurnContext) -> str | None:
    """Bloc 5: the one member the reading says the turn is said to (None otherwise).

    Why: « Nadia, je te propose de commencer… ? » read with low NLU confidence was answered by Hugo
    (his need matched the words) or asked « C'est-à-dire ? » by whoever's turn it was: the member
    addressed by name is the one who answers, whatever the NLU made of the turn."""
    ids = ctx.reading.addressee
    if ctx.persona.bloc == 5 and ids and ids[0] in ctx.state.members:  # several: the first is the one asked
        return ids[0]
    return None


def _play(ctx: TurnContext) -> None:
    r, p = ctx.reading, ctx.persona
    if r.english:
        _english(ctx)
        return
    addressed = _addressed_member(ctx)
    if r.low_confidence and r.content and answer_named_topic(ctx, addressed):
        return  # « Jean-Marc, c'est qui exactement ? »: the NLU is unsure, the question names a fact or need
    if r.low_confidence and addressed is not None and r.asks_information:
        # « Nadia, comment tu vois les samedis ? » the NLU could not place: the reading says it is an
        # information question said to Nadia by name, so Nadia answers it (never « Pardon ? »).
        reread(ctx, OPEN_QUESTION)
        ctx.reading = dataclasses.replace(ctx.reading, low_confidence=False)
        play_mediation_turn(ctx)
        check_walkout(ctx)
        return
    if r.low_confidence:
        ctx.event("clarify")
        speaker = addressed or p.speakers[ctx.state.turn % len(p.speakers)].id
        ctx.voice.say("clarify", speaker)
        return
    if r.aggressive:
        ctx.event("aggressive")
        ctx.adjust(trust=AGGRESSION_TRUST, tension=AGGRESSION_TENSION)
        if p.bloc == 5:
            aggression(ctx)
            return
        if ctx.state.tension >= p.personality.walkout_tension:
            ctx.voice.say("walk_out")
            ctx.end("walk_out")
        else:
            ctx.voice.say("tension_rise")
        return
    if r.harsh:
        # Tone flagged harsh by the analysis only: it costs, but the turn is still answered.
        ctx.event("harsh_tone")
        ctx.adjust(trust=HARSH_TRUST, tension=HARSH_TENSION)
        for member in ctx.state.members.values():
            member.tension = min(1.0, round(member.tension + HARSH_TENSION, 4))
    if p.bloc == 5:
        play_mediation_turn(ctx)
        check_walkout(ctx)
    else:
        play_sales_turn(ctx)


# What the persona says when it welcomed the turn: a long turn it has just approved is no monologue.
APPROVING_SITUATIONS = frozenset(
    {"reformulation_ok", "offer_interest", "reframe_ok", "solution_accepted", "price_accept",
     "counterpart_granted", "summary_incomplete"}
)
APPROVING_EVENTS = ("summary_ok", "reformulation_ok", "objection_resolved", "summary_by_reformulation", "price_agreed")


def _welcomed(ctx: TurnContext) -> bool:
    """Did the persona approve this turn (an accurate recap, a welcome offer, an objection answered)?

    Why: « Exactement, vous l'avez dit mieux que moi. » followed by « Attendez : qu'est-ce que vous
    voulez savoir ? » in the same turn is two people speaking; the approval is the answer."""
    prefix = f"{ctx.state.turn}:"
    events = [e[len(prefix):] for e in ctx.state.events if e.startswith(prefix)]
    return bool(APPROVING_SITUATIONS.intersection(ctx.voice.said)) or any(
        e.startswith(APPROVING_EVENTS) for e in events)


def _patience(ctx: TurnContext) -> None:
    """Long monologues without a question wear the persona's patience."""
    r, p = ctx.reading, ctx.persona
    if r.words <= p.personality.monologue_words or r.is_question:
        ctx.state.monologues = 0
        return
    welcomed = _welcomed(ctx)
    ctx.event("monologue")  # still a long turn for the report and the grid, whatever the persona made of it
    if welcomed:
        ctx.state.monologues = 0
        return
    ctx.state.monologues += 1
    if ctx.state.monologues > p.personality.monologue_patience:
        ctx.adjust(trust=-0.05, tension=MONOLOGUE_TENSION)
        speaker = None
        if ctx.state.members:
            speaker = max(ctx.state.members, key=lambda s: ctx.state.members[s].tension)
        ctx.voice.say("impatient", speaker)
        if ctx.state.tension >= p.personality.walkout_tension:
            ctx.voice.say("walk_out", speaker)
            ctx.end("walk_out")
