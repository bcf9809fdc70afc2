"""Feedback shown to a candidate after a practice session: three concrete tips, in French.

Tips come from the report's figures, most important first, so that the candidate knows what to
change in the next session rather than only what went wrong.
"""

from __future__ import annotations

from typing import Any


def _own_questions(report: dict[str, Any], subtype: str, limit: int = 120) -> list[str]:
    """The candidate's own questions of one subtype (from the turn readings), to quote in a tip."""
    out: list[str] = []
    for turn in report.get("turns") or []:
        if isinstance(turn, dict) and turn.get("question_subtype") == subtype:
            evidence = [q for q in turn.get("question_evidence") or [] if isinstance(q, str)]
            if evidence:
                text = evidence[-1]
                out.append(text if len(text) <= limit else text[: limit - 1].rstrip() + "…")
    return out


def tips_for(report: dict[str, Any]) -> list[str]:
    """Up to three tips, ordered by importance."""
    conversation = report.get("conversation") or {}
    questions = int(conversation.get("questions") or 0)
    reformulations = int(conversation.get("reformulations") or 0)
    summary = conversation.get("closing_summary") or {}
    assertiveness = conversation.get("assertiveness") or {}
    talk_share = float(conversation.get("talk_share_words") or 0.0)
    negotiation = conversation.get("negotiation") or {}
    yes_no = _own_questions(report, "fermee")
    tips: list[str] = []
    if questions == 0:
        tips.append("Posez des questions : commencez la découverte par « Parlez-moi de… » ou « Comment… ? » "
                    "avant de présenter votre offre.")
    elif yes_no and len(yes_no) / questions >= 0.5:
        # Précise questions (qui, quand, combien…) ask for facts and are no flaw: only yes/no ones count.
        tips.append(f"Ouvrez vos questions : {len(yes_no)} sur {questions} appelaient un oui ou un non, par exemple "
                    f"« {yes_no[0]} ». Reformulez-la en « Comment… ? », « Qu'est-ce qui… ? » ou « Décrivez-moi… ».")
    if questions and reformulations < max(1, questions // 2):
        tips.append("Reformulez ce que dit votre interlocuteur (« Si je comprends bien, … ») après ses réponses "
                    "importantes : visez au moins une reformulation pour deux questions.")
    if int(assertiveness.get("aggressive") or 0):
        tips.append("Évitez les formulations agressives (reproches, impératifs secs, « toujours/jamais ») : "
                    "décrivez les faits, exprimez votre point de vue en « je », proposez une solution (DESC).")
    if int(negotiation.get("concessions_free") or 0) > 0:
        tips.append("Ne concédez rien sans contrepartie : « Si je fais un effort sur…, que pouvez-vous faire "
                    "sur… ? »")
    if not (summary.get("present") if isinstance(summary, dict) else summary):
        tips.append("Concluez par une synthèse : rappelez les points clés, ce qui est décidé, qui fait quoi et "
                    "pour quand.")
    elif isinstance(summary, dict) and not summary.get("has_deadline"):
        tips.append("Dans votre synthèse, fixez une échéance précise pour la suite (date ou délai).")
    if talk_share > 0.65:
        tips.append(f"Laissez davantage parler votre interlocuteur : vous avez prononcé {round(100 * talk_share)} % "
                    "des mots de l'échange.")
    defaults = [
        "Préparez trois questions ouvertes sur les enjeux de votre interlocuteur avant la prochaine session.",
        "Appuyez chaque argument sur un besoin exprimé par votre interlocuteur.",
        "Terminez en validant l'accord de votre interlocuteur sur la prochaine étape.",
    ]
    for default in defaults:
        if len(tips) >= 3:
            break
        tips.append(default)
    return tips[:3]
