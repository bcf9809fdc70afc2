"""The turn reading (reader 2): whose number, which question, to whom, whether a restatement is true.

The turns quoted in the turn-reading issue are here with the reading they must get; the rules behind
them are general (cues in lexicons/fr.yaml, text2num, dateparser), never these phrases.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from scoring.annotate import annotate_turns
from scoring.schema import READER_VERSION

TWO = [{"id": "sabrina", "name": "Sabrina Morel"}, {"id": "antoine", "name": "Antoine Roux"}]


def read(text, context=(), speakers=(), genre=None, when=None):
    item = {"id": 1, "text": text, "context": list(context), "speakers": list(speakers), "genre": genre,
            "when": when}
    return annotate_turns([item])[0]


def other(text, speaker_id=None):
    return {"speaker": "other", "text": text, "speaker_id": speaker_id}


def roles(reading):
    return [(a.value, a.role) for a in reading.amounts]


# --- whose number -------------------------------------------------------------------------------

def test_the_offer_is_the_candidates_conditional_price_not_the_first_figure():
    r = read("Vous êtes à 193 000 €, moi à 216 000 € : je peux faire 209 000 € si vous nous donnez une "
             "référence client.", genre="negotiation")
    assert roles(r) == [(193000, "partner_figure"), (216000, "other"), (209000, "own_offer")]
    assert r.offer == 209000 and not r.offer_ambiguous


def test_a_figure_refused_then_an_offer():
    r = read("181 000 €, c'est en dessous de ce que coûte réellement le service… je peux descendre à "
             "212 000 € HT par an.", genre="negotiation")
    assert roles(r) == [(181000, "other"), (212000, "own_offer")]
    assert r.amounts[1].period == "year" and r.amounts[1].tax == "HT"
    assert r.offer == 212000


def test_a_third_partys_past_price_is_no_offer():
    r = read("Je crois savoir que Maintenix vous facturait 150 000 € par an.", genre="negotiation")
    assert roles(r) == [(150000, "other")]
    assert r.offer is None


@pytest.mark.parametrize(("text", "value"), [
    ("Je peux descendre à deux cent mille euros.", 200000),
    ("Je vous propose deux cent vingt-cinq mille euros.", 225000),
    ("Je vous propose 240k€ HT/an.", 240000),
    ("Je vous propose 1,2 M€ sur trois ans.", 1200000),
])
def test_number_words_and_units_are_read(text, value):
    assert read(text).offer == value


def test_a_percentage_is_applied_to_the_price_it_refers_to():
    r = read("Je vous propose 240 000 € moins 15 %.")
    assert r.offer == 204000
    computed = [a for a in r.amounts if a.computed]
    assert computed and computed[0].role == "own_offer" and computed[0].value == 204000


def test_two_different_own_prices_are_ambiguous():
    r = read("Je peux faire 209 000 € sur un an ou 205 000 € sur trois ans.")
    assert r.offer is None and r.offer_ambiguous


def test_a_figure_the_partner_said_is_theirs():
    r = read("Donc avec 38 000 € de pénalités par an, le sujet devient urgent.",
             [other("On a payé 38 000 € de pénalités l'an dernier.")])
    assert roles(r) == [(38000, "partner_figure")]


@pytest.mark.parametrize("text", [
    "Bonjour, comment allez-vous ?",
    " ".join(f"{i} 000 €" for i in range(10, 20)),
    "Je vous propose 999999999999999999999 €.",
    "Je vous propose 0 €.",
    "Je vous fais 250 % de remise.",
])
def test_bad_input_gives_a_reading_never_an_exception(text):
    r = read(text)
    assert r.reader_version == READER_VERSION
    assert r.offer is None  # no amount, ten flat figures, or absurd ones: no single offer to act on


# --- which question -----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "subtype", "qtype"), [
    ("Qui d'autre interviendra dans la décision finale ?", "precise", "closed"),
    ("Quelles sont vos exigences en matière de qualité de service ?", "ouverte", "open"),
    ("Vous parliez d'un fiasco en 2021 : que s'est-il passé exactement ?", "ouverte", "open"),
    ("Combien de véhicules roulent chaque jour ?", "precise", "closed"),
    ("Est-ce que le budget est validé ?", "fermee", "closed"),
    ("Vous préférez une livraison mardi ou jeudi ?", "alternative", "closed"),
    ("Vous ne pensez pas qu'il serait temps de changer de prestataire ?", "suggestive", "closed"),
])
def test_question_subtypes(text, subtype, qtype):
    r = read(text)
    assert (r.question_subtype, r.question_type) == (subtype, qtype)


def test_a_who_question_about_the_decision_is_a_stakeholder_question():
    assert read("Qui d'autre interviendra dans la décision finale ?").stakeholder_question
    assert not read("Combien de véhicules roulent chaque jour ?").stakeholder_question


def test_a_follow_up_on_the_partners_words_is_a_relance():
    r = read("Ces retards de livraison, ils arrivent surtout à quel moment ?",
             [other("Les retards de livraison nous coûtent cher en pénalités.")])
    assert r.relance


# --- is it aggressive ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Merci encore une fois pour votre accueil.",
    "Comme d'habitude, on va commencer par un diagnostic.",
    "Je comprends que ce retard soit inacceptable pour vous.",
])
def test_courtesy_habits_and_empathy_are_not_aggressive(text):
    assert read(text).assertiveness != "aggressive"


def test_a_strong_word_aimed_at_the_partner_is_aggressive():
    assert read("C'est inacceptable, vous ne tenez jamais vos engagements.").assertiveness == "aggressive"


# --- is the reformulation true ---------------------------------------------------------------------

ZFE_CONTEXT = [other("Nos fourgons font en moyenne 120 km par jour, nous avons 4 bornes au dépôt, et la ZFE de "
                     "Nantes nous concerne directement dès l'an prochain.")]


def test_a_restatement_with_wrong_figures_is_inaccurate_with_the_mismatch():
    r = read("Si je comprends bien, vos fourgons font 300 km par jour, vous avez déjà 50 bornes au dépôt et la "
             "ZFE ne vous concerne pas vraiment.", ZFE_CONTEXT, genre="sales")
    assert r.is_reformulation
    assert r.reformulation_accuracy == "inaccurate"
    assert any("300 km" in m and "120 km" in m for m in r.reformulation_mismatches)


def test_an_exact_restatement_is_accurate():
    r = read("Si je comprends bien : 12 % de livraisons hors créneau et 38 000 € de pénalités l'an dernier.",
             [other("L'an dernier nous avons eu 12 % de livraisons hors créneau et 38 000 € de pénalités.")],
             genre="sales")
    assert r.is_reformulation and r.reformulation_accuracy == "accurate"


def test_no_accuracy_when_the_turn_restates_nothing():
    assert read("Comment organisez-vous vos tournées ?", ZFE_CONTEXT).reformulation_accuracy is None


# --- to whom, about what ---------------------------------------------------------------------------

def test_a_name_called_decides_who_answers():
    r = read("Antoine, et pour toi ?", [other("Je ne supporte plus ces délais.", "sabrina")], TWO)
    assert r.addressee == ["antoine"]


def test_tu_goes_to_whoever_spoke_last():
    r = read("Tu peux m'en dire plus ?", [other("Moi je vends, c'est mon métier.", "antoine")], TWO)
    assert r.addressee == ["antoine"]


def test_both_members_are_addressed_together():
    assert read("Qu'en pensez-vous, tous les deux ?", [], TWO).addressee == []


def test_siding_with_a_member_named_in_the_third_person():
    r = read("Antoine a raison, on ne peut pas perdre 85 000 € pour un formulaire.",
             [other("Il promet des délais impossibles.", "sabrina")], TWO, genre="mediation")
    assert r.addressee != ["antoine"]
    assert r.stance is not None and r.stance.sides_with == "antoine"


def test_blaming_the_addressee():
    r = read("Sabrina, c'est de ta faute si la commande est partie.", [], TWO)
    assert r.addressee == ["sabrina"] and r.stance is not None and r.stance.blames == "sabrina"


def test_no_addressee_with_a_single_speaker():
    assert read("Claire, comment gérez-vous les pics ?", [], [{"id": "claire", "name": "Claire Vasseur"}]
                ).addressee == []


# --- dates and topics ----------------------------------------------------------------------------

def test_dates_resolve_against_the_day_of_the_turn():
    r = read("Je vous propose jeudi 17 avril à 15 h, et je vous envoie le devis sous 48 heures.",
             when=datetime(2026, 12, 4, 10, 0))
    iso = {d.text: d.iso for d in r.dates}
    assert iso["jeudi 17 avril à 15 h"] == "2027-04-17T15:00"
    assert iso["sous 48 heures"].startswith("2026-12-06")


def test_topics_by_keyword_and_lemma_never_by_a_function_word():
    topics = [{"id": "need:decision", "text": "Processus de décision et validation", "keywords": ["décid"]},
              {"id": "need:enseignes", "text": "Pénalités des enseignes de la grande distribution",
               "keywords": ["enseigne", "pénalit"]}]
    item = {"id": 1, "text": "Qu'est-ce qui coince le plus avec vos enseignes ?", "topics": topics}
    assert annotate_turns([item])[0].topics == ["need:enseignes"]


def test_context_bags_are_kept_across_calls_and_change_nothing():
    """The action server reads one turn per call with the turns before it: their bags are computed
    once, and a reading made with bags from the cache equals one made from scratch."""
    from scoring.annotate import _ContextBags

    text = ("Si je comprends bien, vos fourgons font 300 km par jour, vous avez déjà 50 bornes au dépôt et la "
            "ZFE ne vous concerne pas vraiment.")
    _ContextBags._cache.clear()
    first = read(text, ZFE_CONTEXT, genre="sales")
    kept = len(_ContextBags._cache)
    assert kept >= 1
    second = read(text, ZFE_CONTEXT, genre="sales")
    assert len(_ContextBags._cache) == kept
    assert second.model_dump() == first.model_dump()
    assert first.reformulation_accuracy == "inaccurate"
