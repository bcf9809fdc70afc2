"""Rules for the product's own conversations (sales, negotiation, mediation), on hand-written turns:
genre profiles, pitches behind reformulation/recap markers, closing recaps, styles, chat-style questions."""

from __future__ import annotations

import pytest

from scoring.annotate import annotate_turns
from scoring.report import score_transcript
from scoring.transcript import Transcript


def one(text: str, context: list[tuple[str, str]] | None = None, lang: str = "fr", genre: str | None = None):
    ctx = [{"speaker": s, "text": t} for s, t in (context or [])]
    return annotate_turns([{"id": "t", "lang": lang, "text": text, "context": ctx, "genre": genre}])[0]


PITCH_CONTEXT = [("other", "We lose a lot of time re-typing delivery notes into the invoicing system every evening.")]
PITCH = "You'll also get a dedicated account manager and a monthly usage report."


def test_sales_genre_needs_evidence_for_an_english_reflection() -> None:
    # Counselling prior (default): a statement about the other person is most likely a reflection.
    assert one(PITCH, PITCH_CONTEXT, lang="en").is_reformulation is True
    assert one(PITCH, PITCH_CONTEXT, lang="en", genre="sales").is_reformulation is False
    echo = "So the evening re-typing of delivery notes is what eats your time."
    assert one(echo, PITCH_CONTEXT, lang="en", genre="sales").is_reformulation is True


def test_transcript_bloc_selects_the_sales_profile() -> None:
    transcript = Transcript.model_validate({"bloc": 2, "language": "en", "turns": [
        {"id": "p1", "speaker_role": "persona", "speaker_name": "Client", "text": PITCH_CONTEXT[0][1]},
        {"id": "c1", "speaker_role": "candidate", "speaker_name": "Seller", "text": PITCH},
    ]})
    report = score_transcript(transcript)
    assert [a.is_reformulation for a in report.turns] == [False]


@pytest.mark.parametrize(("lang", "text"), [
    ("fr", "Autrement dit, notre plateforme est la plus simple à déployer du marché."),
    ("fr", "Ce que je retiens souvent chez nos clients, c'est le gain de temps dès la première semaine."),
    ("en", "In other words, our platform is the easiest one to roll out."),
])
def test_marker_followed_by_own_side_is_a_pitch(lang: str, text: str) -> None:
    context = [("other", "Nous perdons du temps à ressaisir les bons de livraison." if lang == "fr"
                else "We lose time re-typing the delivery notes.")]
    assert one(text, context, lang=lang, genre="sales").is_reformulation is False


def test_recap_of_own_offer_is_not_a_closing_summary() -> None:
    assert one("Pour résumer notre offre : la licence, l'installation, la formation et le support.").is_summary is False
    assert one("In summary, our offer covers the licence, the set-up and a year of support.", lang="en").is_summary \
        is False


@pytest.mark.parametrize(("lang", "text"), [
    ("fr", "Bon, je reprends les points : vous testez l'outil deux semaines, je vous envoie le devis lundi, "
           "et on se rappelle le 12."),
    ("fr", "On retient trois choses : planning partagé, point chaque vendredi, et Léa gère les urgences."),
    ("fr", "pour récap : essai sur deux sites, devis demain, réunion de lancement le 3"),
    ("en", "Quick recap: you trial it on two sites, I send the quote on Monday, and we talk again on the 12th."),
    ("en", "Here's where we landed: shared calendar, a check-in every Friday, and Lea covers urgent calls."),
])
def test_closing_recaps_without_classic_markers(lang: str, text: str) -> None:
    context = [("other", "D'accord pour essayer." if lang == "fr" else "Fine, let's try it.")]
    assert one(text, context, lang=lang).is_summary is True


@pytest.mark.parametrize("text", [
    "La visite technique est décalée à jeudi 15 h.",
    "Oui, avril nous convient, si la commande part avant le 20 mars.",
])
def test_a_single_dated_statement_is_not_a_summary(text: str) -> None:
    context = [("other", "Et la visite technique, c'est quand ? Avril vous conviendrait ?")]
    assert one(text, context).is_summary is False


@pytest.mark.parametrize(("lang", "text", "style"), [
    ("fr", "Soit tu respectes le planning, soit je confie le dossier à quelqu'un d'autre.", "aggressive"),
    ("fr", "Ce n'est pourtant pas compliqué, je ne vais pas vous répéter les chiffres.", "aggressive"),
    ("fr", "Bravo, vraiment, encore un devis envoyé avec le mauvais tarif !", "aggressive"),
    ("fr", "Oh, je ne suis pas vraiment la bonne personne pour trancher, vous connaissez ça mieux que moi.", "passive"),
    ("fr", "Désolé de vous déranger encore, pas de souci si vous n'avez pas regardé.", "passive"),
    ("fr", "Je comprends votre contrainte de budget, mais je ne peux pas descendre sous 40 euros.", "assertive"),
    ("fr", "Je peux vous accorder 3 % à condition que la commande soit passée avant vendredi.", "assertive"),
    ("fr", "C'est votre décision et je la respecterai ; je reste ouvert pour revoir le calendrier.", "assertive"),
    ("en", "Order by Friday or the discount is gone, and don't bother calling me after that.", "aggressive"),
    ("en", "I've explained this twice already, maybe try listening this time.", "aggressive"),
    ("en", "I'm not really the right person to decide, you know your business better than me.", "passive"),
    ("en", "I understand the budget is tight, but I can't go below 40 euros per unit.", "assertive"),
])
def test_styles_in_sales_and_management_talk(lang: str, text: str, style: str) -> None:
    ann = one(text, lang=lang)
    assert ann.assertiveness == style, (ann.assertiveness, ann.assertiveness_markers, ann.assertiveness_scores)
    assert ann.assertiveness_markers


@pytest.mark.parametrize(("lang", "text"), [
    ("fr", "Si je comprends bien, le délai compte plus que le prix pour vous."),
    ("fr", "Comment voyez-vous l'organisation des astreintes à partir de maintenant ?"),
    ("en", "If I understand you correctly, the delay matters more than the price."),
    ("en", "This kind of purchase goes through your finance team, doesn't it?"),
])
def test_reformulations_and_plain_questions_are_not_a_style(lang: str, text: str) -> None:
    assert one(text, lang=lang).assertiveness == "neutral"


@pytest.mark.parametrize(("text", "question_type"), [
    ("tu m'expliques comment tu prépares tes tournées", "open"),
    ("vous pouvez me dire ce qui a bloqué la dernière fois ?", "open"),
    ("Et concrètement, la facturation se passe comment chez vous", "open"),
    ("cmt vous gérez les retours clients", "open"),
    ("Sur quels critères comparez-vous les fournisseurs ?", "open"),
    ("vs avez déjà un prestataire ou pas", "closed"),
    ("le budget est validé ou non", "closed"),
])
def test_french_chat_style_questions(text: str, question_type: str) -> None:
    ann = one(text)
    assert ann.is_question is True
    assert ann.question_type == question_type


@pytest.mark.parametrize(("text", "is_question"), [
    ("do u have a contract running with them", True),
    ("The audit is in March and the files must be ready by then. Correct?", True),
    ("Just do your part and stop arguing.", False),
])
def test_english_chat_style_questions(text: str, is_question: bool) -> None:
    assert one(text, lang="en").is_question is is_question


@pytest.mark.parametrize(("lang", "context", "text"), [
    ("fr", "On a changé trois fois de prestataire de nettoyage en deux ans, à chaque fois pour des retards.",
     "Ce sont surtout les retards répétés qui vous ont fait changer, c'est bien ça ?"),
    ("en", "We switched cleaning contractors three times in two years, every time because they were late.",
     "It's mostly the repeated delays that made you switch, is that right?"),
    ("en", "My team keeps getting the angry customers while the others take the easy calls.",
     "If I get it right, your team ends up with the hardest calls?"),
])
def test_a_checked_paraphrase_is_a_reformulation(lang: str, context: str, text: str) -> None:
    ann = one(text, [("other", context)], lang=lang, genre="sales")
    assert ann.is_reformulation is True
    assert ann.is_question is True


def test_a_check_tag_without_context_is_only_a_question() -> None:
    ann = one("Le budget est bouclé, c'est bien ça ?")
    assert ann.is_question is True and ann.is_reformulation is False


@pytest.mark.parametrize(("context", "text"), [
    ("Depuis la réorganisation, je récupère tous les dossiers urgents sans qu'on me demande mon avis.",
     "Tu as l'air vraiment débordée par ces dossiers urgents."),
    ("Les trois dernières livraisons sont arrivées incomplètes, j'ai dû m'excuser auprès de mes clients.",
     "Ce qui vous pèse le plus, c'est de devoir vous excuser auprès de vos clients."),
    ("Le planning change tous les lundis sans explication.",
     "C'est le manque d'explication sur le planning qui te gêne."),
])
def test_french_reflections_of_feelings_and_clefts(context: str, text: str) -> None:
    assert one(text, [("other", context)], genre="mediation").is_reformulation is True


@pytest.mark.parametrize(("lang", "text"), [
    ("fr", "Merci, c'est noté pour la visite de jeudi, bonne journée."),
    ("fr", "Quel beau showroom, vos clients doivent adorer venir ici !"),
    ("en", "What a lovely showroom, your customers must enjoy coming here!"),
])
def test_social_formulas_are_not_reformulations(lang: str, text: str) -> None:
    context = [("other", "Bienvenue dans notre showroom, la visite est jeudi." if lang == "fr"
                else "Welcome to our showroom, the visit is on Thursday.")]
    assert one(text, context, lang=lang, genre="sales").is_reformulation is False


def test_closing_recap_with_next_steps_is_a_summary_not_a_reformulation() -> None:
    context = [("other", "D'accord pour l'audit des deux sites, et je vous envoie les plans."),
               ("self", "Très bien."), ("other", "Et on se revoit après l'audit.")]
    ann = one("Je récapitule : audit des deux sites la semaine du 10, vous m'envoyez les plans d'ici vendredi, "
              "et je vous présente les résultats le 24.", context, genre="sales")
    assert ann.is_summary is True and ann.is_reformulation is False


@pytest.mark.parametrize(("text", "question_type"), [
    ("le contrat de maintenance se termine qd", "closed"),
    ("combien de machines vs avez sur le site", "closed"),
    ("c quoi le plus urgent pour vous", "open"),
    ("ok et vs comptez renouveler avant l'été", "closed"),
    ("Et toi Paul, tu vois la répartition comment ?", "open"),
])
def test_more_french_chat_questions(text: str, question_type: str) -> None:
    ann = one(text)
    assert ann.is_question is True and ann.question_type == question_type


@pytest.mark.parametrize("text", [
    "Tu es vraiment trop susceptible",
    "Je vous ajoute quand même la livraison, sans frais.",
    "Tu te sens mis de côté quand tu découvres les changements après coup.",
])
def test_french_statements_are_not_questions(text: str) -> None:
    assert one(text).is_question is False


@pytest.mark.parametrize(("text", "question_type"), [
    ("whats stopping u from renewing", "open"),
    ("u have a budget for it yet or not", "closed"),
    ("What time did the delivery reach the depot?", "closed"),
])
def test_more_english_chat_questions(text: str, question_type: str) -> None:
    ann = one(text, lang="en")
    assert ann.is_question is True and ann.question_type == question_type


@pytest.mark.parametrize(("lang", "text", "style"), [
    ("fr", "Si vous passez à 500 licences, je peux descendre à 11 euros la licence.", "assertive"),
    ("fr", "Si vous voulez, on peut baisser encore un peu, jsp.", "passive"),
    ("fr", "Arrêtez vos enfantillages, je ne veux plus rien entendre à ce sujet.", "aggressive"),
    ("fr", "Chacun va pouvoir s'exprimer sans être interrompu, puis nous chercherons une solution.", "assertive"),
    ("en", "If you keep comparing us with discount sellers, I'd rather stop here.", "aggressive"),
    ("en", "I won't accept personal remarks in this meeting. You can disagree, but about facts.", "assertive"),
    ("en", "Well, you're both adults, I'm sure you'll sort it out somehow.", "passive"),
])
def test_more_styles(lang: str, text: str, style: str) -> None:
    ann = one(text, lang=lang)
    assert ann.assertiveness == style, (ann.assertiveness, ann.assertiveness_markers, ann.assertiveness_scores)


def test_a_recap_of_the_other_persons_words_is_not_a_closing_summary() -> None:
    context = [("other", "Les commerciaux veulent des remises, la direction veut protéger la marge.")]
    ann = one("Si je résume ce que vous me dites, les commerciaux veulent des remises et la direction la marge.",
              context)
    assert ann.is_reformulation is True and ann.is_summary is False


@pytest.mark.parametrize(("lang", "text"), [
    ("fr", "C'est une blague, 40 % de remise sur du matériel neuf ?"),
    ("fr", "Et la livraison gratuite aussi, pendant qu'on y est ?"),
    ("en", "Is this a joke, forty percent off brand-new equipment?"),
])
def test_rhetorical_questions_ask_nothing_and_are_aggressive(lang: str, text: str) -> None:
    ann = one(text, lang=lang)
    assert ann.is_question is False
    assert ann.assertiveness == "aggressive"


@pytest.mark.parametrize(("lang", "text"), [
    ("fr", "Je me demande si le dépôt ouvre le dimanche. Je vérifie avec l'équipe et je vous dis."),
    ("en", "I wonder whether the depot opens on Sundays. I'll check with the team and let you know."),
])
def test_wondering_aloud_then_acting_is_not_a_question(lang: str, text: str) -> None:
    assert one(text, lang=lang).is_question is False


@pytest.mark.parametrize(("lang", "question", "answer"), [
    ("fr", "Et la formation de l'équipe, elle est comprise dans le prix ?",
     "Oui, la formation de l'équipe est comprise."),
    ("en", "Is the team training included in the price?", "Yes, the team training is included."),
])
def test_answering_the_other_persons_question_is_not_a_reformulation(lang: str, question: str, answer: str) -> None:
    assert one(answer, [("other", question)], lang=lang, genre="sales").is_reformulation is False


def test_marker_about_the_others_trade_in_general_is_not_a_reformulation() -> None:
    context = [("other", "On cherche surtout un fournisseur qui livre le samedi.")]
    ann = one("Si je comprends bien votre secteur, les marges sont très serrées en ce moment.", context, genre="sales")
    assert ann.is_reformulation is False


@pytest.mark.parametrize(("lang", "genre", "context", "text"), [
    ("fr", "mediation", "Quand il modifie le planning la veille, je dois annuler la garde de mes enfants.",
     "Ces changements de planning la veille bousculent toute ton organisation familiale."),
    ("en", "sales", "Every time a part is missing, the tractor sits in the yard for two weeks in harvest season.",
     "If I've understood, the wait for parts keeps your machines idle right when you need them most."),
    ("en", "sales", "We need to be able to change the number of guests until the day before.",
     "What you need is flexibility on numbers until the very last minute, correct?"),
])
def test_third_round_reflections(lang: str, genre: str, context: str, text: str) -> None:
    assert one(text, [("other", context)], lang=lang, genre=genre).is_reformulation is True


@pytest.mark.parametrize(("lang", "text", "style"), [
    ("fr", "Non, la table reste à 120 € HT. Ce que je peux faire, c'est offrir le montage si la commande dépasse "
           "50 pièces.", "assertive"),
    ("fr", "Oh, les tarifs, ce n'est pas vraiment moi qui décide, je ne fais que transmettre.", "passive"),
    ("fr", "Vous me faites perdre mon temps avec vos demandes de remise à chaque appel.", "aggressive"),
    ("fr", "Si jamais vous passez à Lyon, notre showroom est ouvert le samedi.", "neutral"),
    ("en", "Before we start, some ground rules: each of you speaks in turn and nobody interrupts.", "assertive"),
    ("en", "Pricing isn't really my call, I just pass things along.", "passive"),
    ("en", "Frankly, these demands are absurd, no serious supplier would accept them.", "aggressive"),
])
def test_third_round_styles(lang: str, text: str, style: str) -> None:
    ann = one(text, lang=lang)
    assert ann.assertiveness == style, (ann.assertiveness, ann.assertiveness_markers, ann.assertiveness_scores)


@pytest.mark.parametrize(("lang", "text", "question_type"), [
    ("fr", "Qu'est-ce qu'ils reprochent au prestataire actuel ?", "open"),
    ("fr", "tu peux me donner un exemple de ce qui s'est dit", "open"),
    ("fr", "vs aviez une solution de secours à ce moment-là", "closed"),
    ("en", "What's the approved budget?", "closed"),
    ("en", "but u'd agree the finish is better than what u have now, right", "closed"),
])
def test_third_round_questions(lang: str, text: str, question_type: str) -> None:
    ann = one(text, lang=lang)
    assert ann.is_question is True and ann.question_type == question_type


@pytest.mark.parametrize(("lang", "text", "style"), [
    ("fr", "Vous validez avant midi ou j'appelle votre concurrent, il sera ravi de prendre la place.", "aggressive"),
    ("fr", "Franchement, vous êtes à côté de la plaque avec ce cahier des charges.", "aggressive"),
    ("fr", "Bon… si vous y tenez, je vous l'offre, pour si peu.", "passive"),
    ("fr", "C'est votre droit et je le respecte ; l'installation reste facturée.", "assertive"),
    ("en", "Confirm by tonight or the slot goes to the next client on my list.", "aggressive"),
    ("en", "I can knock off 3% but only if you sign for the whole season.", "assertive"),
    ("en", "OK then, 10% it is, I really don't want to lose you over this.", "passive"),
])
def test_fourth_round_styles(lang: str, text: str, style: str) -> None:
    ann = one(text, lang=lang)
    assert ann.assertiveness == style, (ann.assertiveness, ann.assertiveness_markers, ann.assertiveness_scores)


@pytest.mark.parametrize(("lang", "text", "question_type"), [
    ("fr", "ok et qd un chauffeur est malade le matin vs faites comment", "open"),
    ("fr", "vous réservez comment en général, par téléphone ou sur le site", "closed"),
    ("fr", "Vous voulez bien m'en parler ?", "open"),
    ("en", "roughly how many orders a week", "closed"),
    ("en", "What happened with the last supplier", "open"),
    ("en", "how do your clients book today, phone or website", "closed"),
    ("en", "Is the setup fee the sticking point for you", "closed"),
])
def test_fourth_round_questions(lang: str, text: str, question_type: str) -> None:
    ann = one(text, lang=lang)
    assert ann.is_question is True and ann.question_type == question_type


@pytest.mark.parametrize(("lang", "context", "text", "expected"), [
    ("fr", "On a eu trois migrations de logiciel en cinq ans, à chaque fois pour rien.",
     "Ça doit être usant, toutes ces migrations qui n'ont rien apporté.", True),
    ("fr", "Le planning a encore changé hier soir.",
     "Autrement dit, PlanPro est le logiciel le plus complet du marché.", False),
    ("en", "He shouted at me in front of the whole crew.", "That really stung, being spoken to like that.", True),
    ("en", "We lose frost alarms every spring.",
     "You'd agree that losing a crop costs more than any sensor, right?", False),
])
def test_fourth_round_reformulations(lang: str, context: str, text: str, expected: bool) -> None:
    genre = "mediation" if lang == "en" or "planning" not in context else "sales"
    assert one(text, [("other", context)], lang=lang, genre=genre).is_reformulation is expected
