"""Reformulation, summary, assertiveness, weak signals and negotiation moves on hand-written turns."""

from __future__ import annotations

import pytest

from scoring.annotate import annotate_turns


def one(text: str, context: list[tuple[str, str]] | None = None, lang: str = "fr"):
    ctx = [{"speaker": s, "text": t} for s, t in (context or [])]
    return annotate_turns([{"id": "x", "lang": lang, "text": text, "context": ctx}])[0]


CLIENT = ("other", "Notre principal souci, ce sont les ruptures de stock sur les pièces détachées en fin de mois.")


def test_reformulation_marker_with_overlap_points_to_turn() -> None:
    ann = one("Si je comprends bien, vous manquez de pièces détachées en fin de mois ?", [CLIENT])
    assert ann.is_reformulation
    assert ann.reformulation.target_index == 0
    assert ann.reformulation.context_checked
    assert "pièce" in " ".join(ann.reformulation.shared_words)


def test_marker_over_unrelated_content_is_not_reformulation() -> None:
    ann = one("Si je comprends bien, vous aimez le football le dimanche.", [CLIENT])
    assert not ann.is_reformulation


def test_echo_without_marker_is_reformulation() -> None:
    ann = one("Des ruptures de stock sur les pièces détachées ?", [CLIENT])
    assert ann.is_reformulation


def test_unrelated_statement_is_not_reformulation() -> None:
    ann = one("Notre société a été fondée à Lyon il y a trente ans.", [CLIENT])
    assert not ann.is_reformulation


def test_english_reflection() -> None:
    ctx = [("other", "Honestly the night shifts leave me exhausted and I barely see my kids.")]
    assert one("So you feel exhausted by the night shifts and you miss your kids.", ctx, "en").is_reformulation
    assert not one("I'd like to explain how our scheduling software works.", ctx, "en").is_reformulation


def test_summary_with_next_steps() -> None:
    ann = one("Pour résumer, nous lançons un pilote sur deux sites ; je vous envoie le planning d'ici jeudi.")
    assert ann.is_summary
    assert ann.next_steps and ann.next_steps[0].who == "moi"
    assert "jeudi" in " ".join(ann.next_steps[0].when)


def test_goodbye_is_not_summary() -> None:
    assert not one("Merci pour votre temps, bonne fin de journée.").is_summary
    assert not one("Thanks a lot, have a nice day.", lang="en").is_summary


def test_assertiveness_styles_fr() -> None:
    assert (
        one(
            "J'ai constaté trois retards cette semaine et cela me préoccupe ; je te demande de prévenir "
            "l'équipe à l'avenir."
        ).assertiveness
        == "assertive"
    )
    agg = one("Vous êtes incompétents, c'est inadmissible !")
    assert agg.assertiveness == "aggressive" and agg.assertiveness_markers
    assert one("Euh, désolé, je suis vraiment désolé, peut-être que ce n'est pas grave.").assertiveness == "passive"
    assert one("La réunion commence à dix heures.").assertiveness == "neutral"


@pytest.mark.parametrize(
    ("lang", "text", "aimed"),
    [
        ("fr", "Vous arrivez toujours en retard aux réunions d'équipe.", True),
        ("fr", "Tu ne réponds jamais aux messages de ta collègue.", True),
        ("fr", "Personne ne te fait confiance dans ce service.", True),
        ("fr", "Nous formons dans vos locaux pour que personne ne perde une journée de travail.", False),
        ("fr", "Je serai toujours disponible pour vous répondre.", False),
        ("fr", "Les livraisons du lundi sont toujours les plus chargées.", False),
        ("en", "You always interrupt your colleagues in meetings.", True),
        ("en", "We run the sessions on your site so that nobody has to travel for a whole day.", False),
        ("en", "I will always answer your calls on the same day.", False),
    ],
)
def test_absolutes_count_only_when_aimed_at_the_other(lang: str, text: str, aimed: bool) -> None:
    ann = one(text, lang=lang)
    absolutes = {"toujours", "jamais", "personne ne", "always", "never", "nobody"}
    deciding = {m.lower() for m in ann.assertiveness_markers}
    assert (ann.assertiveness == "aggressive") is aimed, (ann.assertiveness, ann.assertiveness_markers)
    assert bool(deciding & absolutes) is aimed


def test_assertiveness_styles_en() -> None:
    assert (
        one(
            "I've noticed the report was late twice and I'm concerned; from now on, please send it on Friday.",
            lang="en",
        ).assertiveness
        == "assertive"
    )
    assert one("This is unacceptable, you never listen!", lang="en").assertiveness == "aggressive"
    assert one("Um, sorry, I'm so sorry, maybe it doesn't matter.", lang="en").assertiveness == "passive"


def test_weak_signals() -> None:
    pos = one("Merci beaucoup, c'est une excellente nouvelle, je suis ravi.")
    neg = one("C'est une très mauvaise nouvelle, le résultat est horrible.")
    assert pos.sentiment > 0 > neg.sentiment
    assert pos.politeness
    assert one("Thank you, this is a wonderful idea.", lang="en").sentiment > 0


def test_negotiation_moves() -> None:
    ann = one("Je peux vous accorder une remise de 5 % à condition que vous signiez pour deux ans, soit 9 500 €.")
    moves = {m.move for m in ann.negotiation}
    assert {"concession", "counterpart"} <= moves
    assert 9500.0 in ann.negotiation[0].amounts
    assert 5.0 in ann.negotiation[0].percents


def test_batch_keeps_order_and_ids() -> None:
    items = [
        {"id": i, "lang": "fr" if i % 2 else "en", "text": t, "context": []}
        for i, t in enumerate(["What is your goal?", "Quel est votre objectif ?", "Fine.", "Bien."])
    ]
    out = annotate_turns(items)
    assert [a.id for a in out] == [0, 1, 2, 3]
    assert [a.is_question for a in out] == [True, True, False, False]


PRICE = ("other", "Franchement, votre tarif dépasse ce que nous avions prévu de dépenser.")


def test_paraphrase_with_synonyms_is_reformulation() -> None:
    """Word vectors catch « prix / budget » for « tarif / dépenser » without shared lemmas."""
    ann = one("Donc le prix vous paraît trop élevé par rapport à votre budget", [PRICE])
    assert ann.is_reformulation and ann.reformulation.overlap == 0.0


def test_pitch_after_objection_is_not_reformulation() -> None:
    assert not one("Notre solution coûte 300 euros par mois", [PRICE]).is_reformulation


def test_colloquial_questions_without_question_mark() -> None:
    assert one("vous utilisez quoi aujourd'hui pour vos plannings").is_question
    assert one("et ça vous coûte combien chaque mois").question_type == "closed"
    assert not one("je ne sais pas quand il arrive").is_question


EN_CLIENT = ("other", "My manager keeps changing the targets and I feel like nothing I do is ever enough.")


def test_english_marker_inside_a_wh_question_does_not_reflect() -> None:
    # "you feel" / "you think" are reflection openers only outside an interrogative sentence.
    assert not one("How do you feel when the targets change again?", [EN_CLIENT], "en").is_reformulation
    assert not one("What do you think would help with your manager?", [EN_CLIENT], "en").is_reformulation
    assert one("So you feel that nothing is ever enough for your manager.", [EN_CLIENT], "en").is_reformulation


def test_english_question_without_outside_marker_is_not_a_reflection() -> None:
    # An interrogative sentence rules out a reflection unless a reflection marker stands outside it.
    ann = one("Targets change. What would a fair target look like for you?", [EN_CLIENT], "en")
    assert ann.is_question and not ann.is_reformulation
    ann = one("It sounds like the moving targets wear you down. What would help?", [EN_CLIENT], "en")
    assert ann.is_question and ann.is_reformulation


def test_english_social_formulas_are_not_reflections() -> None:
    ctx = [("other", "Thanks, this was really useful for me.")]
    for text in ("You're very welcome, it was a pleasure.", "Thanks a lot, see you on Thursday after the audit.",
                 "Hello Sam, nice to meet you."):
        assert not one(text, ctx, "en").is_reformulation, text
