"""Bloc 5: the candidate mediates between two team members, or meets one (a manager's one-to-one:
coaching, recadrage, motivation); the engine plays them.

Each member has their own tension. Being heard (invited to speak, accurately reformulated, met
with empathy) lowers it; being blamed, hearing one's triggers or an aggressive manager raises it.
A tense member interrupts the other. The agreement needs every member's interests on the table, a
solution that addresses each, and a closing summary. With one member, every turn is said to them,
and what happens between two members (interrupting, seeing the manager side with the other) never
does: blame is met with ``tension_rise``.
"""

from __future__ import annotations

import re

from personas.engine.context import TurnContext, clamp
from personas.engine.cues import has_cue
from personas.engine.discovery import (
    about_need,
    answer_closed_question,
    deepen_or_recall,
    followed_up_need,
    matching_need,
    reveal_need,
)
from personas.engine.facts import answer_fact
from personas.engine.questions import answer_named_topic
from personas.engine.reading import Reading, fold, mentions, question_part
from personas.engine.rereading import OPEN_QUESTION, question_in_disguise, reread
from personas.engine.summary_lines import SUMMARY_INCOMPLETE_DEFAULT
from personas.intents import CLOSING_INTENTS, QUESTION_INTENTS
from personas.schema import TeamMember

INTERRUPT_TENSION = 0.55
INTERRUPT_TENSION_WITH_RULES = 0.75
SOLUTION_MAX_TENSION = 0.6
SIDE_TAKEN_TENSION = 0.2
TRIGGER_TENSION = 0.15


def _members(ctx: TurnContext) -> list[TeamMember]:
    return ctx.persona.team.members if ctx.persona.team else []


def _other(ctx: TurnContext, member: TeamMember) -> TeamMember | None:
    """The other member of a mediation; None in a one-to-one."""
    return next((m for m in _members(ctx) if m.speaker != member.speaker), None)


def _blamed(ctx: TurnContext, member: TeamMember, default: str) -> None:
    """The member's reaction to being blamed: « you side with the other one » in a mediation, plain
    tension in a one-to-one (there is no other side, and ``side_taken`` names one with ``{autre}``)."""
    other = _other(ctx, member)
    if other is None:
        ctx.voice.say("tension_rise", member.speaker)
    else:
        ctx.voice.say_or("side_taken", default, member.speaker, autre=_first_name(ctx, other))


def _tense(ctx: TurnContext, member: TeamMember, delta: float) -> None:
    ms = ctx.state.members[member.speaker]
    ms.tension = clamp(ms.tension + delta)
    ctx.state.tension = max(m.tension for m in ctx.state.members.values())


def _first_name(ctx: TurnContext, member: TeamMember) -> str:
    return ctx.persona.speaker(member.speaker).name.split()[0]


def addressed(ctx: TurnContext) -> TeamMember | None:
    """The member the turn is said to: the reading's addressee (a name called, « tu » to whoever
    spoke last); without a reading, the member named in the turn if exactly one is named.

    « Antoine a raison… » said to Sabrina names Antoine but is not addressed to him. In a one-to-one,
    every turn is said to the one member.
    """
    members = _members(ctx)
    if len(members) == 1:
        return members[0]
    if ctx.reading.content:
        # Several ids: the reader lists the member asked first (« Merci Antoine, … Sabrina, est-ce
        # tenable pour l'ADV ? » is Sabrina's to answer, Antoine being thanked on the way).
        ids = ctx.reading.addressee
        return next((m for m in _members(ctx) if ids and m.speaker == ids[0]), None)
    named = [m for m in _members(ctx) if mentions(ctx.reading.folded, [_first_name(ctx, m)])]
    return named[0] if len(named) == 1 else None


def taking_sides(ctx: TurnContext) -> bool:
    """Siding with one member or blaming one (the reading's stance): the other closes up. True if it spoke.

    A mediator's restatement that endorses one side is not a neutral reformulation: no trust for it.
    """
    r = ctx.reading
    if r.sides_with is None and r.blames is None:
        return False
    if floor_given(ctx):
        ctx.event(f"blame_as_question:{r.blames}")
        return False  # « Karim, raconte-moi comment tu l'as vécu ? » gives the floor, it takes no side
    hurt_id = r.blames or next((m.speaker for m in _members(ctx) if m.speaker != r.sides_with), None)
    hurt = next((m for m in _members(ctx) if m.speaker == hurt_id), None)
    if hurt is None:
        return False
    _tense(ctx, hurt, 0.15)
    ctx.adjust(trust=-0.06)
    ctx.event(f"taking_sides:{r.sides_with or '-'}:{r.blames or '-'}")
    _blamed(ctx, hurt, "Évidemment. Vous avez déjà choisi votre camp, alors.")
    return True


def floor_given(ctx: TurnContext) -> bool:
    """A question put to the very member the stance says is blamed, with no side taken for the other:
    the mediator gives them the floor (« Hugo, tu es sur le plateau depuis quand ? »).

    Why: « Vous avez déjà choisi votre camp » and a walk-out in answer to a neutral invitation to speak
    were the writers' complaint; a member asked a question answers it. A blame said as a statement, or
    while siding with the other member, is still taking sides."""
    r = ctx.reading
    return (r.blames is not None and r.sides_with is None and r.is_question
            and r.addressee == (r.blames,))


def target(ctx: TurnContext) -> TeamMember:
    """Who answers: the named member, else the one who has been heard least (ties: the tenser)."""
    named = addressed(ctx)
    if named is not None:
        return named
    return min(
        _members(ctx),
        key=lambda m: (
            len(ctx.state.members[m.speaker].grievances_voiced),
            ctx.state.members[m.speaker].turns_spoken,
            -ctx.state.members[m.speaker].tension,
        ),
    )


def _spoke(ctx: TurnContext, member: TeamMember) -> None:
    ctx.state.members[member.speaker].turns_spoken += 1


def _maybe_interrupt(ctx: TurnContext, speaker: TeamMember) -> None:
    other = _other(ctx, speaker)
    if other is None:
        return  # a one-to-one: nobody to cut in
    limit = INTERRUPT_TENSION_WITH_RULES if ctx.state.ground_rules else INTERRUPT_TENSION
    if ctx.state.members[other.speaker].tension >= limit:
        _tense(ctx, speaker, 0.04)
        ctx.event(f"interrupt:{other.speaker}")
        ctx.voice.say("interrupt", other.speaker, autre=_first_name(ctx, speaker))


def _voice_grievance(ctx: TurnContext, member: TeamMember) -> bool:
    ms = ctx.state.members[member.speaker]
    pending = [g for g in member.grievances if g.id not in ms.grievances_voiced]
    if not pending:
        return False
    grievance = pending[0]
    ms.grievances_voiced.append(grievance.id)
    _tense(ctx, member, -0.05)
    ctx.event(f"grievance:{member.speaker}:{grievance.id}")
    ctx.voice.say_from(f"grievance:{grievance.id}", grievance.lines, member.speaker)
    _spoke(ctx, member)
    _maybe_interrupt(ctx, member)
    return True


def _open(ctx: TurnContext, member: TeamMember) -> None:
    """Invitation or open question: grievances first, then (with trust) the underlying interest; a
    question on what the member already said, by its words, gets the next layer (``deeper``)."""
    ctx.state.open_questions += ctx.reading.open_question
    ctx.state.closed_streak = 0
    ctx.adjust(trust=0.06)
    ms = ctx.state.members[member.speaker]
    if not ms.grievances_voiced and _voice_grievance(ctx, member):
        return
    need = matching_need(ctx, member.speaker)
    opened = followed_up_need(ctx, member.speaker)
    if need is not None and opened is not None and not about_need(ctx, need):
        need = None  # a follow-up on what the member said, by its words, not a new topic by the intent alone
    if need is None and opened is not None:
        deepen_or_recall(ctx, opened, member.speaker)  # « qu'est-ce qui vous aiderait avec l'outil ? »
        _spoke(ctx, member)
        return
    if need is None and ctx.reading.intent in {"ask_needs", "ask_pain_points", "invite_to_speak", "ask_situation"}:
        need = next(
            (n for n in ctx.persona.needs if n.speaker == member.speaker and n.id not in ctx.state.revealed_needs), None
        )
    if need is not None:
        if ctx.state.trust >= need.min_trust and ms.tension < 0.8:
            reveal_need(ctx, need)
            _tense(ctx, member, -0.05)
            _spoke(ctx, member)
            return
        ctx.event(f"need_guarded:{need.id}")
        ctx.voice.say("guarded", member.speaker)
        _spoke(ctx, member)
        return
    if not _voice_grievance(ctx, member):
        ctx.voice.say("nothing_new", member.speaker)
        _spoke(ctx, member)


def _reformulation_target(ctx: TurnContext) -> TeamMember | None:
    best: TeamMember | None = addressed(ctx)
    for member in _members(ctx):
        ms = ctx.state.members[member.speaker]
        words = [k for g in member.grievances if g.id in ms.grievances_voiced for k in g.keywords]
        words += [
            k
            for n in ctx.persona.needs
            if n.speaker == member.speaker and n.id in ctx.state.revealed_needs
            for k in n.keywords
        ]
        if words and mentions(ctx.reading.folded, words) and (best is None or best.speaker == member.speaker):
            return member
    return None


def _triggers(ctx: TurnContext) -> bool:
    """Blame aimed at a named member, or a member's pet hates: they react (one line each)."""
    hit: set[str] = set()
    named = addressed(ctx)
    # With a reading, its stance says who is blamed (``taking_sides``): the cue words alone would
    # take « personne ne dit que tu as tort » for a blame.
    cue_blame = not ctx.reading.content and has_cue(ctx.reading.folded, "engine_blame")
    if named is not None and cue_blame:
        _tense(ctx, named, SIDE_TAKEN_TENSION)
        ctx.adjust(trust=-0.08)
        ctx.event(f"side_taken:{named.speaker}")
        _blamed(ctx, named, "Je vois. Vous avez déjà tranché.")
        hit.add(named.speaker)
    for member in _members(ctx):
        if mentions(ctx.reading.folded, member.triggers):
            _tense(ctx, member, TRIGGER_TENSION)
            ctx.event(f"trigger:{member.speaker}")
            if member.speaker not in hit:
                ctx.voice.say("tension_rise", member.speaker)
            hit.add(member.speaker)
    return bool(hit)


def _calm(ctx: TurnContext, member: TeamMember, base: float) -> None:
    bonus = 0.08 if ctx.reading.intent in member.calmed_by else 0.0
    _tense(ctx, member, -(base + bonus))


def play_mediation_turn(ctx: TurnContext) -> None:
    """Dispatch one mediator turn."""
    r, st = ctx.reading, ctx.state
    intent = r.intent
    if r.aggressive:
        return  # handled by the core (tension on everyone, walk-out check)
    if _triggers(ctx):
        return
    if intent == "goodbye":
        ctx.voice.say("goodbye")
        ctx.end("no_agreement")
        return
    greeting = intent in {"greet", "introduce_self"} or (
        r.greets and st.turn <= 2 and intent not in {"set_ground_rules", "invite_to_speak", *CLOSING_INTENTS}
    )
    if greeting and not st.greeted:
        st.greeted = True
        ctx.adjust(trust=0.04)
        for member in _members(ctx):
            ctx.voice.say("greeting", member.speaker)
        return
    if intent == "set_ground_rules":
        if st.ground_rules:
            ctx.voice.say("nothing_new")
            return
        st.ground_rules = True
        ctx.adjust(trust=0.08)
        ctx.event("ground_rules")
        for member in _members(ctx):
            _calm(ctx, member, 0.1)
            ctx.voice.say("ground_rules_ack", member.speaker)
        return
    if _solution_in_disguise(ctx):
        recap = _decisions_recapped(ctx)
        reread(ctx, "propose_solution")
        propose_solution(ctx)
        if recap:
            st.summary_turn = st.turn  # the recap of the settlement is the closing summary
            if st.solution_agreed and "?" in r.text:
                close(ctx)  # « … Vous êtes d'accord, l'un et l'autre ? » after both said yes
        return
    next_step_asked = r.proposes_next_step and "?" in r.text and intent not in QUESTION_INTENTS
    if intent in CLOSING_INTENTS or (st.solution_agreed and (r.asks_agreement or next_step_asked)):
        close(ctx)
        return
    if answer_fact(ctx):
        return  # « Combien de commandes traitez-vous ? »: the fact, not a grievance
    if question_in_disguise(r):
        reread(ctx, OPEN_QUESTION)
        _open(ctx, target(ctx))
        return
    if intent == "summarize" or (r.summary and not r.open_question):
        st.summary_turn = st.turn
        ok = st.solution_agreed or ctx.essential_revealed() >= ctx.persona.end_conditions.min_needs_revealed
        members = _members(ctx)
        who = addressed(ctx) or members[st.turn % len(members)]  # not always the first member
        ctx.event("summary_ok" if ok else "summary_thin")
        if ok:
            ctx.voice.say("reformulation_ok", who.speaker)
        elif r.accuracy != "inaccurate" and _reformulation_target(ctx) is not None:
            ctx.voice.say_or("summary_incomplete", SUMMARY_INCOMPLETE_DEFAULT, who.speaker)
        else:
            ctx.voice.say("reformulation_off", who.speaker)
        return
    if intent in {"propose_solution", "present_offer"}:  # no offer to present in a mediation
        propose_solution(ctx)
        return
    if intent == "reframe":
        reframe(ctx)
        return
    if r.reformulation and st.solution_agreed and all(mentions(r.folded, m.solution_keywords) for m in _members(ctx)):
        st.summary_turn = st.turn  # restating the agreed solution for both sides is the summary
        ctx.event("summary_ok")
        ctx.voice.say("reformulation_ok", _members(ctx)[0].speaker)
        return
    if taking_sides(ctx):
        return
    if not r.reformulation and _reformulation_in_disguise(ctx):
        reread(ctx, "reformulate")
        r = ctx.reading
    if r.reformulation and r.asks_information and r.accuracy != "inaccurate" and not r.summary:
        # « Si je te suis, Nadia, tu as fait neuf samedis. Et toi Hugo, comment tu le vois ? »: the
        # restatement calms the one it restates, the question gets its answer.
        echoed = _reformulation_target(ctx)
        if echoed is not None:
            st.reformulations += 1
            ctx.adjust(trust=0.05)
            _calm(ctx, echoed, 0.08)
            ctx.event(f"reformulation_ok:{echoed.speaker}")
        ctx.reading = question_part(r)
        if not answer_fact(ctx):
            _open(ctx, target(ctx))
        return
    if r.reformulation and r.accuracy == "inaccurate":
        who = addressed(ctx) or target(ctx)
        ctx.event("reformulation_inaccurate")
        ctx.voice.say("reformulation_off", who.speaker)
        return
    if r.reformulation:
        echoed = _reformulation_target(ctx)
        if echoed is None:
            ctx.event("reformulation_off")
            ctx.voice.say("reformulation_off", target(ctx).speaker)
            return
        st.reformulations += 1
        ctx.adjust(trust=0.08)
        _calm(ctx, echoed, 0.12)
        ctx.event(f"reformulation_ok:{echoed.speaker}")
        ctx.voice.say("reformulation_ok", echoed.speaker)
        return
    if intent == "express_empathy":
        member = addressed(ctx) or max(_members(ctx), key=lambda m: st.members[m.speaker].tension)
        ctx.adjust(trust=0.04)
        _calm(ctx, member, 0.08)
        ctx.voice.say("empathy_ack", member.speaker)
        return
    if intent == "apologize":
        for member in _members(ctx):
            _tense(ctx, member, -0.05)
        ctx.voice.say("apology_ack")
        return
    if r.open_question or intent == "invite_to_speak":
        _open(ctx, target(ctx))
        return
    if answer_named_topic(ctx, target(ctx).speaker):
        return  # a direct question on a fact or a need, whatever intent the NLU gave the turn
    if r.closed_question:
        answer_closed_question(ctx, target(ctx).speaker)
        return
    if intent == "small_talk":
        st.small_talk += 1
        ok = st.small_talk <= ctx.persona.personality.small_talk_patience
        ctx.voice.say("small_talk" if ok else "small_talk_too_much", target(ctx).speaker)
        return
    if intent == "out_of_scope":
        ctx.voice.say("out_of_scope", target(ctx).speaker)
        return
    if answer_named_topic(ctx, target(ctx).speaker):
        return
    ctx.voice.say("assertive_ack", target(ctx).speaker)


# Intents that mean nothing in a mediation: the NLU gives them to long restatements or proposals.
_SALES_ONLY = frozenset({"handle_objection", "ask_counterpart", "propose_price", "concede", "closed_question"})
# Intents the NLU gives to a long proposal (« Je vous propose trois règles… »).
_SOLUTION_LOOKALIKES = _SALES_ONLY | CLOSING_INTENTS | {"assertive_statement", "reframe", "reformulate", "summarize"}


def _proposal_stated(r: Reading) -> bool:
    """Proposal words in a sentence that is not itself a question (« Je vous propose trois règles :
    … Qu'en pensez-vous ? »): a proposal that ends by asking for the members' view is still one."""
    sentences = re.split(r"(?<=[.!;:])\s+|\n+", r.text.strip())
    return any(not s.rstrip().endswith("?") and has_cue(fold(s), "engine_proposal") for s in sentences)


def _decisions_recapped(ctx: TurnContext) -> bool:
    """A recap of what is decided (« Je récapitule ce qu'on décide : … ») that gives each member their
    part of the solution: the mediator proposes the settlement and sums it up in one turn."""
    r = ctx.reading
    if not (r.summary or r.summary_cue or r.intent == "summarize"):
        return False
    # Decisions, not needs: commitments (who does what, when), a date, or proposal words. « Karim, tu
    # as besoin de reconnaissance ; Julie, de règles claires » sums up the needs and decides nothing.
    if not (r.next_steps or r.has_date or _proposal_stated(r)):
        return False
    return all(mentions(r.folded, m.solution_keywords) for m in _members(ctx))


def _solution_in_disguise(ctx: TurnContext) -> bool:
    """A proposal typed as an argument, a reframe or a recap: it names what a member needs and proposes it.

    Typed as ground rules, it must address both members (« je vous propose quelques règles » is the
    ground rules themselves), and only once the ground rules are set. A recap counts when it gives
    every member their part (``_decisions_recapped``).
    """
    r, st = ctx.reading, ctx.state
    if st.solution_agreed:
        return False
    if _decisions_recapped(ctx):
        return True
    if r.summary_cue or not _proposal_stated(r):
        return False
    addressed_members = [m for m in _members(ctx) if mentions(r.folded, m.solution_keywords)]
    if r.intent == "set_ground_rules":
        return st.ground_rules and len(addressed_members) == len(_members(ctx))
    return bool(addressed_members) and r.intent in _SOLUTION_LOOKALIKES


def _reformulation_in_disguise(ctx: TurnContext) -> bool:
    """A statement echoing what a member said, typed with a sales-only or low-confidence intent."""
    r = ctx.reading
    if not r.statement or not (r.intent in _SALES_ONLY or r.weak_intent):
        return False
    if r.intent in {"express_empathy", "apologize", "reframe", "summarize", "set_ground_rules", "invite_to_speak"}:
        return False
    return _reformulation_target(ctx) is not None


def _interests_on_table(ctx: TurnContext, member: TeamMember) -> bool:
    return any(i in ctx.state.revealed_needs for i in member.interests)


def reframe(ctx: TurnContext) -> None:
    if all(_interests_on_table(ctx, m) for m in _members(ctx)):
        ctx.state.reframed = True
        ctx.adjust(trust=0.06)
        for member in _members(ctx):
            _calm(ctx, member, 0.1)
        ctx.event("reframe_ok")
        ctx.voice.say("reframe_ok")
    else:
        ctx.adjust(trust=-0.03)
        ctx.event("reframe_early")
        ctx.voice.say("reframe_early")


def propose_solution(ctx: TurnContext) -> None:
    """Each member accepts if their interest is known, they are calm enough and it is addressed; the
    solution is agreed once every member (the only one, in a one-to-one) has accepted it."""
    ctx.advance("argumentation")
    accepted = 0
    for member in _members(ctx):
        ms = ctx.state.members[member.speaker]
        ok = (
            _interests_on_table(ctx, member)
            and ms.tension < SOLUTION_MAX_TENSION
            and mentions(ctx.reading.folded, member.solution_keywords)
        )
        ms.solution_accepted = ms.solution_accepted or ok
        accepted += ms.solution_accepted
        ctx.event(f"solution_{'accepted' if ok else 'rejected'}:{member.speaker}")
        ctx.voice.say("solution_accepted" if ok else "solution_rejected", member.speaker)
    ctx.state.solution_agreed = accepted == len(_members(ctx))
    if ctx.state.solution_agreed:
        ctx.advance("conclusion")


def close(ctx: TurnContext) -> None:
    st, ec = ctx.state, ctx.persona.end_conditions
    st.closing_attempts += 1
    ctx.advance("conclusion")
    if not st.solution_agreed:
        # The member who has not said yes says what is missing. Once every member accepted a solution
        # (which needs their interest known), the needs count no longer blocks: « on n'a rien décidé »
        # right after both said yes was a contradiction.
        ctx.event("closing_premature")
        holdout = next((m for m in _members(ctx) if not st.members[m.speaker].solution_accepted), None)
        asked = addressed(ctx)  # « Julie, et toi, tu es d'accord ? »: Julie answers, not Karim
        ctx.voice.say("closing_premature", (asked or holdout or target(ctx)).speaker)
    elif ec.require_summary and not ctx.summary_recent():
        ctx.event("closing_without_summary")
        ctx.voice.say("closing_without_summary", (addressed(ctx) or _members(ctx)[0]).speaker)
        return  # both said yes: the members want the recap, they never end the meeting with no agreement
    else:
        for member in _members(ctx):
            ctx.voice.say("success", member.speaker)
        ctx.end("agreement")
        return
    if st.closing_attempts >= ec.max_closing_attempts:
        ctx.voice.say("no_deal")
        ctx.end("no_agreement")


def aggression(ctx: TurnContext) -> None:
    """An aggressive manager hurts the named member most, every member anyway."""
    named = addressed(ctx)
    for member in _members(ctx):
        _tense(ctx, member, 0.3 if named is None or named.speaker == member.speaker else 0.15)
    worst = max(_members(ctx), key=lambda m: ctx.state.members[m.speaker].tension)
    walkout = ctx.persona.personality.walkout_tension
    if ctx.state.members[worst.speaker].tension >= walkout:
        ctx.voice.say("walk_out", worst.speaker)
        ctx.end("walk_out")
    else:
        ctx.voice.say("tension_rise", worst.speaker)


def check_walkout(ctx: TurnContext) -> None:
    """After triggers or blame, a member past the limit leaves."""
    walkout = ctx.persona.personality.walkout_tension
    for member in _members(ctx):
        if ctx.state.members[member.speaker].tension >= walkout and not ctx.state.ended:
            ctx.voice.say("walk_out", member.speaker)
            ctx.end("walk_out")
