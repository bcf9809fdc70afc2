"""Hidden needs and objections: what an open question reveals, what raises and resolves objections."""

from __future__ import annotations

import dataclasses

from personas.engine.context import TurnContext
from personas.engine.reading import PRICE_INTENTS, mentions, question_part
from personas.schema import HiddenNeed, Objection

OPEN_QUESTION_TRUST = 0.07
SEMI_OPEN_TRUST = 0.04
REVEAL_TRUST = 0.03


def matching_need(ctx: TurnContext, speaker: str | None = None, revealed: bool = False) -> HiddenNeed | None:
    """The need the question aims at: topic intent and keyword first, then keyword, then intent."""
    r = ctx.reading
    pool = [
        n
        for n in ctx.persona.needs
        if (n.id in ctx.state.revealed_needs) == revealed and (speaker is None or n.speaker in (None, speaker))
    ]
    scored: list[tuple[int, int, HiddenNeed]] = []
    for order, need in enumerate(pool):
        by_topic = r.intent in need.topics
        by_word = bool(need.keywords) and mentions(r.folded, need.keywords)
        if by_topic or by_word:
            scored.append((-(2 * by_word + by_topic), order, need))
    return min(scored, key=lambda t: (t[0], t[1]))[2] if scored else None


def answer_open_question(ctx: TurnContext, speaker: str | None = None) -> bool:
    """Open question: builds trust; reveals the targeted need if trust is high enough.

    Returns True when something was said.
    """
    ctx.state.open_questions += 1
    ctx.state.closed_streak = 0
    gain = SEMI_OPEN_TRUST if ctx.reading.semi_open else OPEN_QUESTION_TRUST
    ctx.adjust(trust=gain, tension=-0.02)
    need = matching_need(ctx, speaker)
    opened = followed_up_need(ctx, speaker)
    if need is not None and opened is not None and not about_need(ctx, need):
        need = None  # a follow-up on an opened need by its words, not a new topic by the intent alone
    if need is not None:
        if ctx.state.trust >= need.min_trust:
            reveal_need(ctx, need)
        else:
            ctx.event(f"need_guarded:{need.id}")
            ctx.voice.say("guarded", need.speaker or speaker)
        return True
    if opened is not None:
        deepen_or_recall(ctx, opened, speaker)
        return True
    if ctx.reading.question_subtype == "precise" and not ctx.reading.reformulation:
        # « Combien de centres 5 axes avez-vous ? » with no fact and no need on it: the persona says it
        # does not have it (or who does), never « Bien. Reprenons » or a line of another situation.
        ctx.event("fact_unknown")
        unknown = STAKEHOLDER_UNKNOWN_DEFAULTS if ctx.reading.stakeholder_question else FACT_UNKNOWN_DEFAULTS
        ctx.voice.say_or("fact_unknown", unknown, speaker)
        return True
    ctx.voice.say("open_generic", speaker)
    return True


FACT_UNKNOWN_DEFAULTS = [
    "Ça, je ne l'ai pas en tête précisément. Je peux le faire vérifier.",
    "Précisément ? Je ne saurais pas le dire de mémoire.",
    "Le chiffre exact, je ne l'ai pas sous la main. Je le ferai suivre si c'est utile.",
]
STAKEHOLDER_UNKNOWN_DEFAULTS = [
    "Ça, ce n'est pas moi qui le sais le mieux : il faudra le demander à ceux qui décident avec moi.",
    "Là-dessus, je ne parlerai pas à la place des autres.",
    "Ça, il faudra le voir avec les personnes concernées : je ne réponds pas pour elles.",
]


def about_need(ctx: TurnContext, need: HiddenNeed) -> bool:
    """The turn names this need (its words, or the reading's topic), beyond the question's intent."""
    r = ctx.reading
    return (bool(need.keywords) and mentions(r.folded, need.keywords)) or f"need:{need.id}" in r.topics


def followed_up_need(ctx: TurnContext, speaker: str | None = None) -> HiddenNeed | None:
    """A revealed need the turn is about by its content (the need's words, or the reading's topic),
    never by the question's intent alone: « qu'est-ce qui vous préoccupe ? » is not a follow-up."""
    for need in ctx.persona.needs:
        if need.id not in ctx.state.revealed_needs or (speaker is not None and need.speaker not in (None, speaker)):
            continue
        if about_need(ctx, need):
            return need
    return None


RECALL_DEFAULT = "Je vous l'ai dit tout à l'heure : {rappel}"


def deepen_or_recall(ctx: TurnContext, need: HiddenNeed, speaker: str | None = None) -> None:
    """A follow-up on an opened need gets its next layer; once every layer is said, the persona
    recalls what it said about it (« déjà dit » only for this very topic, with the content)."""
    depth = ctx.state.need_depth.get(need.id, 0)
    who = need.speaker or speaker
    if depth < len(need.deeper):
        ctx.state.need_depth[need.id] = depth + 1
        ctx.adjust(trust=REVEAL_TRUST)
        ctx.event(f"need_deepened:{need.id}:{depth + 1}")
        ctx.voice.say_text(need.deeper[depth], who or ctx.persona.main_speaker.id)
        return
    ctx.event(f"need_recalled:{need.id}")
    ctx.voice.say_or("already_said", RECALL_DEFAULT, who, rappel=_recall(ctx, need))


def _recall(ctx: TurnContext, need: HiddenNeed) -> str:
    """The first sentence of what the persona said when it revealed this need (the variant it used)."""
    said = [i for key, used in ctx.state.used_lines.items() if key.startswith(f"need:{need.id}") for i in used]
    line = need.reveal[said[-1]] if said and said[-1] < len(need.reveal) else need.reveal[0]
    first = line.split(". ")[0].rstrip(".")
    return first + "."


def reveal_need(ctx: TurnContext, need: HiddenNeed) -> None:
    ctx.state.revealed_needs.append(need.id)
    ctx.adjust(trust=REVEAL_TRUST)
    ctx.event(f"need_revealed:{need.id}")
    ctx.voice.say_from(f"need:{need.id}", need.reveal, need.speaker)


def answer_closed_question(ctx: TurnContext, speaker: str | None = None) -> None:
    """Closed questions get short answers; a string of them feels like an interrogation.

    Why the short answer depends on what the question names: raters read « Plus ou moins. » or
    « Ça dépend. » to « Vous avez un budget prévu cette année ? » as no answer at all (60 of the
    factual questions left unanswered in sets F and G). A yes/no question still reveals no hidden
    need (the pedagogical rule of open questions), but the persona says why it will not answer in
    one word: too early (trust below the need's ``min_trust``: the guarded line), or a subject that a
    yes or a no would not do justice to (``closed_on_need``). A yes/no question on a need already
    told gets its next layer (the topic is open: the candidate is following it up). A precise
    question on something the persona does not hold gets « je ne l'ai pas en tête / c'est X qui le
    sait » (``fact_unknown``). The bare short answer is left for questions that name nothing the
    persona holds (« Vous voulez que je vous montre une vidéo ? »)."""
    ctx.state.closed_questions += 1
    ctx.state.closed_streak += 1
    if ctx.state.closed_streak >= ctx.persona.personality.closed_streak_limit:
        ctx.adjust(trust=-0.05, tension=0.06)
        ctx.event("closed_interrogation")
        ctx.voice.say("closed_interrogation", speaker)
        return
    told, need = _named_on_question(ctx, speaker)
    if told is not None:
        ctx.event(f"closed_on_told_need:{told.id}")
        deepen_or_recall(ctx, told, speaker)
        return
    if need is not None:
        who = need.speaker or speaker
        if ctx.state.trust < need.min_trust:
            ctx.event(f"need_guarded:{need.id}")
            ctx.voice.say("guarded", who)
        else:
            ctx.event(f"closed_on_need:{need.id}")
            ctx.voice.say_or("closed_on_need", CLOSED_ON_NEED_DEFAULTS, who)
        return
    if _asks_unknown(ctx):
        ctx.event("fact_unknown")
        unknown = STAKEHOLDER_UNKNOWN_DEFAULTS if ctx.reading.stakeholder_question else FACT_UNKNOWN_DEFAULTS
        ctx.voice.say_or("fact_unknown", unknown, speaker)
        return
    ctx.voice.say("closed_short", speaker)


# A yes/no question on a hidden need: why one word will not do (pronoun-free: a persona may say tu).
CLOSED_ON_NEED_DEFAULTS = [
    "Ça ne se résume pas par oui ou par non. Il y a des choses à dire là-dessus, si on prend le temps.",
    "Un oui ou un non ne dirait pas grand-chose : le sujet est plus large que ça.",
    "Disons que c'est un vrai sujet chez nous, et pas un sujet qui se règle en un mot.",
]


def _named_on_question(ctx: TurnContext, speaker: str | None) -> tuple[HiddenNeed | None, HiddenNeed | None]:
    """(a need already told, a need not yet told) that the turn's last question names by its own
    words: a lead-in (« Avec nous, Mathieu planifie en 10 minutes. Une vidéo ? ») picks nothing."""
    whole = ctx.reading
    if "?" not in whole.text:
        return None, None
    ctx.reading = dataclasses.replace(question_part(whole), topics=())
    try:
        return followed_up_need(ctx, speaker), _named_need(ctx, speaker)
    finally:
        ctx.reading = whole


def _named_need(ctx: TurnContext, speaker: str | None) -> HiddenNeed | None:
    """A hidden need not yet told that the question's own words name, never one picked by the intent
    alone: « Vous avez un budget prévu ? » names the budget. The longest keyword found wins (« date
    butoir qui vous presse » is the calendar's « date », not the decision's « qui »)."""
    folded = ctx.reading.folded
    best: tuple[int, HiddenNeed] | None = None
    for need in ctx.persona.needs:
        if need.id in ctx.state.revealed_needs or (speaker is not None and need.speaker not in (None, speaker)):
            continue
        hit = max((len(k) for k in need.keywords if mentions(folded, [k])), default=0)
        if hit and (best is None or hit > best[0]):
            best = (hit, need)
    return best[1] if best else None


def _asks_unknown(ctx: TurnContext) -> bool:
    """The reading calls the question an information question (precise, either/or) or one about who
    else decides or knows: it asks for something, and the persona holds nothing on it."""
    r = ctx.reading
    return (r.question_subtype in {"precise", "alternative"} or r.stakeholder_question) and not r.reformulation


def accurate_reformulation(ctx: TurnContext, speaker: str | None = None) -> bool:
    """A reformulation is accurate when it echoes a revealed need (its keywords) or a grievance.

    The scoring label ``is_reformulation`` alone only says the candidate echoed the last words;
    echoing a need the persona actually expressed is what makes the persona feel understood.
    """
    r = ctx.reading
    for need in ctx.persona.needs:
        mine = need.id in ctx.state.revealed_needs and (speaker is None or need.speaker in (None, speaker))
        if mine and (mentions(r.folded, need.keywords) or mentions(r.folded, [need.label])):
            return True
    return False


def raise_objection(ctx: TurnContext, trigger: str) -> Objection | None:
    """Raise the first not-yet-raised objection with this trigger (and say it)."""
    for obj in ctx.persona.objections:
        if obj.trigger == trigger and obj.id not in ctx.state.raised_objections:
            if trigger == "keyword" and not mentions(ctx.reading.folded, obj.keywords):
                continue
            ctx.state.raised_objections.append(obj.id)
            ctx.state.open_objections.append(obj.id)
            ctx.adjust(trust=-0.03)
            ctx.event(f"objection_raised:{obj.id}")
            ctx.voice.say_from(f"objection:{obj.id}", obj.lines, obj.speaker)
            return obj
    return None


def objection(ctx: TurnContext, objection_id: str) -> Objection:
    return next(o for o in ctx.persona.objections if o.id == objection_id)


# An argument may reach the NLU as an offer, a price turn or a plain statement; if it carries the
# expected resolution words, the persona hears the answer to its objection all the same.
ARGUMENT_INTENTS = frozenset(
    {"handle_objection", "present_offer", "assertive_statement", "propose_solution", *PRICE_INTENTS}
)


def _answers(ctx: TurnContext, obj: Objection) -> bool:
    r = ctx.reading
    argued = (
        r.intent in ARGUMENT_INTENTS
        and "handle_objection" in obj.resolved_by
        and bool(obj.resolution_keywords)
        and mentions(r.folded, obj.resolution_keywords)
    )
    return (
        argued
        or r.intent in obj.resolved_by
        or (r.reformulation and "reformulate" in obj.resolved_by)
        or (r.open_question and any(i in obj.resolved_by for i in ("ask_situation", "ask_needs", "ask_pain_points")))
    )


def needs_echoed(ctx: TurnContext, speaker: str | None = None) -> int:
    """How many revealed needs the candidate's words echo (a summary echoes several)."""
    folded = ctx.reading.folded
    return sum(
        1
        for need in ctx.persona.needs
        if need.id in ctx.state.revealed_needs
        and (speaker is None or need.speaker in (None, speaker))
        and (mentions(folded, need.keywords) or mentions(folded, [need.label]))
    )


def handle_objections(ctx: TurnContext) -> bool:
    """Try to resolve the most recent open objection this turn addresses. True if it spoke."""
    for obj_id in reversed(ctx.state.open_objections):
        obj = objection(ctx, obj_id)
        if not _answers(ctx, obj):
            continue
        needs_ok = all(n in ctx.state.revealed_needs for n in obj.requires_needs)
        words_ok = not obj.resolution_keywords or mentions(ctx.reading.folded, obj.resolution_keywords)
        if needs_ok and words_ok:
            ctx.state.open_objections.remove(obj_id)
            ctx.state.resolved_objections.append(obj_id)
            ctx.adjust(trust=0.06, tension=-0.05)
            ctx.event(f"objection_resolved:{obj_id}")
            ctx.voice.say_from(f"objection_ok:{obj_id}", obj.resolved_lines, obj.speaker)
            return True
        if ctx.reading.intent == "handle_objection":
            missing = next((n for n in ctx.persona.needs if n.id in obj.requires_needs
                            and n.id not in ctx.state.revealed_needs), None)
            if words_ok and missing is not None and ctx.state.trust >= missing.min_trust:
                # The right argument, before the persona told why it matters: it says what it needs
                # (the need it could have revealed) instead of « vous ne répondez pas »; the objection
                # stays open, and the argument made again now resolves it.
                ctx.event(f"objection_needs:{obj_id}:{missing.id}")
                reveal_need(ctx, missing)
                return True
            ctx.event(f"objection_unresolved:{obj_id}")
            say_unresolved(ctx, obj)
            return True
    return False


def say_unresolved(ctx: TurnContext, obj: Objection) -> None:
    """The objection still stands: its unresolved line, or once those were all said, the objection
    restated in its other words (never the same line word for word while another fits)."""
    ctx.voice.say_fresh([(f"objection_ko:{obj.id}", obj.unresolved_lines), (f"objection:{obj.id}", obj.lines)],
                        obj.speaker)


def resolved_in_passing(ctx: TurnContext, objection_ids: list[str]) -> list[str]:
    """The open objections that a closing turn answers with their resolution words (« … clause de
    révision à la hausse comme à la baisse. Vous validez ? »): resolved, with the persona's line.
    Only objections an argument can resolve, whose needs are known; returns the ids resolved."""
    done = []
    for obj_id in objection_ids:
        obj = objection(ctx, obj_id)
        arguable = "handle_objection" in obj.resolved_by and bool(obj.resolution_keywords)
        needs_ok = all(n in ctx.state.revealed_needs for n in obj.requires_needs)
        if arguable and needs_ok and mentions(ctx.reading.folded, obj.resolution_keywords):
            ctx.state.open_objections.remove(obj_id)
            ctx.state.resolved_objections.append(obj_id)
            ctx.adjust(trust=0.06, tension=-0.05)
            ctx.event(f"objection_resolved:{obj_id}")
            ctx.voice.say_from(f"objection_ok:{obj_id}", obj.resolved_lines, obj.speaker)
            done.append(obj_id)
    return done
