"""Feedback shown to a candidate after a practice session: three concrete tips, in French.

Tips come from the report's figures, most important first, so that the candidate knows what to
change in the next session rather than only what went wrong.
"""

from __future__ import annotations

from typing import Any


def tips_for(report: dict[str, Any]) -> list[str]:
    """Up to three tips, ordered by importance."""
    conversation = report.get("conversation") or {}
    questions = int(conversation.get("questions") or 0)
    open_questions = int(conversation.get("open_questions") or 0)
    reformulations = int(conversation.get("reformulations") or 0)
    summary = conversation.get("closing_summary") or {}
    assertiveness = conversation.get("assertiveness") or {}
    talk_share = float(conversation.get("talk_share_words") or 0.0)
    negotiation = conversation.get("negotiation") or {}
    tips: list[str] = []
    if questions == 0:
        tips.append("Posez des questions : commencez la découverte par « Parlez-moi de… » ou « Comment… ? » "
                    "avant de présenter votre offre.")
    elif open_questions / questions < 0.5:
        tips.append(f"Ouvrez vos questions : {open_questions} sur {questions} étaient ouvertes. Remplacez "
                    "« Est-ce que… ? » par « Comment… ? », « Qu'est-ce qui… ? », « Décrivez-moi… ».")
    if questions and reformulations < max(1, questions // 2):
        tips.append("Reformulez ce que dit votre interlocuteur (« Si je comprends bien, … ») après ses réponses "
                    "importantes : visez au moins une reformulation pour deux questions.")
    if int(assertiveness.get("aggressive") or 0):
        tips.append("Évitez les formulations agressives (reproches, impératifs secs, « toujours/jamais ») : "
                    "décrivez les faits, exprimez votre point de vue en « je », proposez une solution (DESC).")
    if int(negotiation.get("concessions_candidate") or 0) > int(negotiation.get("counterparts_asked") or 0):
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
