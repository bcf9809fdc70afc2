"""To whom a Bloc 5 turn is said, and which subtype its question has (issue 11).

Every turn here is written for this file, with speakers named unlike any persona, so the rules
(calls vs. third-person mentions, recaps, options, in-situ « quoi », echoes) are tested, not phrases.
"""

from __future__ import annotations

import pytest

from scoring.annotate import annotate_turns

PAIR = [{"id": "ines", "name": "Inès Garnier"}, {"id": "hugo", "name": "Hugo Lambert"}]


def read(text: str, context: list[dict[str, str | None]] | None = None, speakers: list[dict[str, str]] | None = None,
         genre: str | None = "mediation"):
    item = {"id": 1, "text": text, "context": context or [], "speakers": PAIR if speakers is None else speakers,
            "genre": genre}
    return annotate_turns([item])[0]


def said_by(speaker_id: str, text: str) -> dict[str, str | None]:
    return {"speaker": "other", "text": text, "speaker_id": speaker_id}


HUGO_LAST = [said_by("ines", "Je n'ai jamais reçu ce mail."), said_by("hugo", "Moi je l'ai envoyé lundi.")]
INES_LAST = [said_by("hugo", "Je l'ai envoyé lundi."), said_by("ines", "Je n'ai jamais reçu ce mail.")]


@pytest.mark.parametrize(("text", "context", "expected"), [
    # a call, with or without a comma, at the start or after a word
    ("Hugo, tu peux nous dire comment tu organises les relances ?", INES_LAST, ["hugo"]),
    ("Tu vois Inès, c'est exactement ce que je voulais éviter.", HUGO_LAST, ["ines"]),
    ("Hugo tu me confirmes l'horaire de la livraison ?", INES_LAST, ["hugo"]),
    ("Merci Hugo. Inès, à toi maintenant.", HUGO_LAST, ["ines"]),
    # a name after a participle, or as the subject of a relative clause, is no call
    ("Hugo, pourquoi tu n'as pas prévenu Inès ?", INES_LAST, ["hugo"]),
    ("Hugo, qu'est-ce que tu penses de ce que suggère Inès ?", INES_LAST, ["hugo"]),
    # a member named as the subject of a third-person verb: the turn speaks to the other one
    ("Inès garde le dossier Ferrand jusqu'à la fin du mois, tu es d'accord ?", INES_LAST, ["hugo"]),
    ("Inès n'a pas tort sur les délais.", HUGO_LAST, ["hugo"]),
    # both members: greeting, recap, one order each
    ("Bonjour Inès, bonjour Hugo. Merci d'être venus tous les deux.", [], []),
    ("Si je résume : Hugo rappelle le client jeudi et Inès prépare le devis.", HUGO_LAST, []),
    ("Hugo, tu t'occupes du planning, et Inès, vous validez le budget.", HUGO_LAST, []),
    ("Qu'est-ce que vous proposez, chacun de votre côté ?", HUGO_LAST, []),
    # « tu » with no name goes to whoever just spoke
    ("Tu l'as envoyé à quelle adresse ?", HUGO_LAST, ["hugo"]),
])
def test_addressee_of_a_two_member_turn(text: str, context: list[dict[str, str | None]],
                                        expected: list[str]) -> None:
    assert read(text, context).addressee == expected


def test_a_single_speaker_is_never_named_as_addressee() -> None:
    assert read("Hugo, tu peux préciser ?", speakers=[{"id": "hugo", "name": "Hugo Lambert"}]).addressee == []


@pytest.mark.parametrize(("text", "subtype", "qtype"), [
    ("Le devis est signé, c'est bien ça ?", "fermee", "closed"),
    ("Qu'est-ce qui vous conviendrait le mieux : une livraison groupée ou deux livraisons séparées ?",
     "alternative", "closed"),
    ("Lundi ou mercredi, qu'est-ce qui vous arrange ?", "alternative", "closed"),
    ("Vous utilisez quoi comme logiciel de paie ?", "precise", "closed"),
    ("Et le nouveau planning, vous en pensez quoi ?", "ouverte", "open"),
    ("Et c'est votre directrice qui valide ?", "fermee", "closed"),
    ("Quand tu parles de surcharge, tu penses aux week-ends ?", "fermee", "closed"),
    # A verbless list of options after the question offers choices: an alternative, not a yes/no question.
    ("Qu'est-ce qui freine le plus vos équipes ? Les horaires, la paperasse, les déplacements ?",
     "alternative", "closed"),
    ("Et côté facturation, vous préférez quoi ? Un abonnement mensuel, un paiement à l'acte ?",
     "alternative", "closed"),
    ("Vous avez déjà un prestataire ? Pour la maintenance ?", "fermee", "closed"),
])
def test_question_subtype(text: str, subtype: str, qtype: str) -> None:
    r = read(text, speakers=[], genre="sales")
    assert (r.question_subtype, r.question_type) == (subtype, qtype)


def test_an_echoed_figure_answered_by_the_speaker_asks_nothing() -> None:
    r = read("Trente jours ? Notre délai standard est de soixante jours, je ne peux pas descendre.", speakers=[],
             genre="negotiation")
    assert not r.is_question and r.question_subtype is None


def test_an_echo_alone_is_still_a_question() -> None:
    assert read("Trente jours ?", speakers=[], genre="negotiation").is_question


def test_incredulity_is_a_rhetorical_question() -> None:
    r = read("Vous croyez vraiment que vos fournisseurs vont patienter six mois ?", speakers=[], genre="negotiation")
    assert not r.is_question and r.question_subtype == "rhetorique"


def test_an_apology_with_a_strong_word_is_not_aggression() -> None:
    r = read("Je suis vraiment désolé, c'était inacceptable de vous laisser sans réponse.", speakers=[],
             genre="sales")
    assert r.assertiveness != "aggressive"


def test_a_hostile_turn_to_one_member_blames_that_member() -> None:
    r = read("Hugo, t'es vraiment nul, tu as encore tout fait de travers.", INES_LAST)
    assert r.addressee == ["hugo"] and r.stance is not None and r.stance.blames == "hugo"


def test_a_reproach_in_chat_spelling_blames_the_addressee() -> None:
    r = read("Inès, t'aurais pas pu prévenir l'équipe plus tôt ?", HUGO_LAST)
    assert r.addressee == ["ines"] and r.stance is not None and r.stance.blames == "ines"


def test_a_neutral_question_takes_no_side() -> None:
    assert read("Hugo, comment tu as vécu cette semaine ?", INES_LAST).stance is None


def test_an_echo_before_a_rhetorical_question_asks_nothing() -> None:
    r = read("Quarante jours ? Et puis quoi encore, je vous livre le dimanche ?", speakers=[], genre="negotiation")
    assert not r.is_question and r.question_subtype == "rhetorique"
