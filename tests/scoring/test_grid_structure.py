"""Bloc 2 « discours structuré et synthétique » read from what the exchange did (grid 2.3).

Jurors credit a frame that is announced *and followed*: discovery that obtained information before
the offer, arguments tied to what the client said, the offer, a closing synthesis. A seller who
pitches a price first and asks afterwards goes through the same stages but is not structured; a
closing recap of an exchange held mostly in English closes nothing. Hand-written transcripts.
"""

from __future__ import annotations

from scoring.report import score_transcript
from scoring.schema import TopicRef
from scoring.transcript import Transcript, Turn

TOPICS = [
    TopicRef(id="retards", text="Les livraisons arrivent en retard dans les magasins",
             keywords=["retard", "livraison"]),
    TopicRef(id="appels", text="Les chefs de rayon passent du temps au téléphone avec l'entrepôt",
             keywords=["téléphone", "appel"]),
]


def make(lines: list[tuple[str, str]]) -> Transcript:
    turns = [Turn(id=f"t{k + 1}", speaker_role="candidate" if who == "C" else "persona",
                  speaker_name="Candidat" if who == "C" else "Mme Royer", speaker_id=None if who == "C" else "P",
                  text=text) for k, (who, text) in enumerate(lines)]
    return Transcript(bloc=2, language="fr", persona_id="test", turns=turns, topics=TOPICS)


STRUCTURED = make([
    ("C", "Bonjour Madame Royer, merci de me recevoir. Je vous propose le déroulé suivant : d'abord "
          "comprendre votre organisation, ensuite vous présenter notre solution, enfin convenir d'une suite."),
    ("P", "Très bien, allons-y."),
    ("C", "Comment vos magasins sont-ils approvisionnés aujourd'hui, et qu'est-ce qui vous gêne le plus ?"),
    ("P", "Nos camions partent de Melun le soir et un magasin sur trois est livré avec une journée de "
          "retard, surtout le samedi. Les chefs de rayon passent leur matinée au téléphone avec l'entrepôt."),
    ("C", "Que représente ce retard du samedi pour vos ventes ?"),
    ("P", "Environ quatre pour cent de chiffre d'affaires perdu le samedi matin dans les magasins touchés."),
    ("C", "Notre suivi en temps réel prévient chaque magasin dès qu'une livraison prend du retard : vos "
          "chefs de rayon n'ont plus à passer d'appels à l'entrepôt pour savoir où sont les camions."),
    ("P", "Intéressant. Et le prix ?"),
    ("C", "Pour vos quarante magasins, l'abonnement est de 2 400 euros par mois, installation comprise."),
    ("P", "C'est un budget, mais si cela règle les retards du samedi, on peut en parler."),
    ("C", "Pour résumer : un magasin sur trois livré en retard, quatre pour cent perdus le samedi, des "
          "appels en série vers l'entrepôt ; notre suivi y répond pour 2 400 euros par mois. Je vous propose "
          "un essai sur cinq magasins et un point mardi 14 à 10 heures, cela vous convient-il ?"),
    ("P", "Oui, mardi 10 heures me convient."),
])

PITCH_FIRST = make([
    ("C", "Bonjour Madame Royer. Je vous propose le déroulé suivant : je vous présente notre offre, "
          "puis nous verrons la suite."),
    ("P", "Allez-y."),
    ("C", "Notre abonnement de suivi coûte 2 400 euros par mois, c'est la meilleure solution du marché, "
          "tous nos clients l'adorent et nous sommes leader depuis dix ans dans la logistique."),
    ("P", "Vous ne m'avez même pas demandé quel était mon problème."),
    ("C", "Nous avons aussi une application mobile, un tableau de bord et une assistance sept jours sur sept."),
    ("P", "Bien. Nos camions arrivent en retard dans les magasins, c'est ça mon sujet."),
    ("C", "Vous avez combien de camions ?"),
    ("P", "Une vingtaine."),
    ("C", "Pour résumer, notre abonnement à 2 400 euros par mois est ce qu'il vous faut, on signe mardi ?"),
    ("P", "Je vais y réfléchir."),
])


def _item(t: Transcript, criterion: str) -> tuple[int | None, float | None, str]:
    grid = score_transcript(t).grid
    assert grid is not None
    item = next(i for i in grid.items if i.id == criterion)
    return item.level, item.measure, item.rationale


def test_discovery_before_the_offer_and_a_synthesis_make_a_structured_talk() -> None:
    level, _, rationale = _item(STRUCTURED, "discours_structure")
    assert level is not None and level >= 2, rationale
    assert rationale.startswith("Cadre annoncé")
    assert "2 question(s) ayant obtenu une information avant la présentation de l'offre" in rationale


def test_an_announced_frame_then_a_pitch_before_discovery_is_not_structured() -> None:
    level, measure, rationale = _item(PITCH_FIRST, "discours_structure")
    _, strong, _ = _item(STRUCTURED, "discours_structure")
    assert level is not None and level <= 1, rationale
    assert measure is not None and strong is not None and measure < strong - 0.2
    assert "0 question(s) ayant obtenu une information avant la présentation de l'offre" in rationale


def test_arguments_tied_to_what_the_client_said_are_credited() -> None:
    _, _, rationale = _item(STRUCTURED, "discours_structure")
    assert "0 argument(s) rattaché(s)" not in rationale
    untied = Transcript.model_validate({**STRUCTURED.model_dump(), "topics": []})
    _, with_topics, _ = _item(STRUCTURED, "discours_structure")
    _, without, why = _item(untied, "discours_structure")
    assert "0 argument(s) rattaché(s)" in why
    assert with_topics is not None and without is not None and without < with_topics


def test_a_recap_after_an_exchange_held_in_english_closes_little() -> None:
    english = make([
        ("C", "Hello, how are you? Let me tell you about our amazing tracking software, it is great."),
        ("P", "Bonjour. Je préférerais parler français, si possible."),
        ("C", "Sure, but you know, the weather is nice and our product is the best on the market."),
        ("P", "Nos livraisons arrivent en retard, c'est mon sujet."),
        ("C", "Ok great. Our software is the best, trust me, everybody loves it."),
        ("P", "Je ne suis pas convaincue."),
        ("C", "Do you play golf? We could play together next weekend and talk about the price there."),
        ("P", "Je ne joue pas au golf."),
        ("C", "What a pity, there is a very nice course near the river, you should try it with your family."),
        ("P", "Revenons à nos livraisons, s'il vous plaît."),
        ("C", "Pour résumer, vous avez des retards de livraison, notre suivi y répond ; je vous rappelle "
              "mardi 14 à 10 heures pour un essai."),
        ("P", "Nous verrons."),
    ])
    french = make([
        ("C", "Bonjour Madame Royer, comment se passent vos livraisons dans les magasins aujourd'hui ?"),
        ("P", "Nos livraisons arrivent en retard, un magasin sur trois le samedi."),
        ("C", "Qu'est-ce que ces retards coûtent à vos équipes en magasin ?"),
        ("P", "Les chefs de rayon passent la matinée au téléphone avec l'entrepôt."),
        ("C", "Notre suivi prévient chaque magasin dès qu'un camion prend du retard, sans appel à passer."),
        ("P", "Je ne suis pas encore convaincue."),
        *[("C" if t.speaker_role == "candidate" else "P", t.text) for t in english.turns[-2:]],
    ])
    level_en, measure_en, why_en = _item(english, "conclusion_suite")
    _, measure_fr, _ = _item(french, "conclusion_suite")
    assert measure_en is not None and measure_fr is not None and measure_en < measure_fr
    assert level_en is not None and level_en <= 1, (measure_en, why_en)
