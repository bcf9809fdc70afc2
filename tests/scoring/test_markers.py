"""Every marker family fires on a hand-written sentence, in both languages."""

from __future__ import annotations

import pytest

from scoring.lexicon import load_lexicon

CASES = {
    "fr": {
        "question_request": "Parlez-moi de vos priorités.",
        "wh_open": "Comment voyez-vous la suite ?",
        "wh_factual": "Combien de vendeurs avez-vous ?",
        "closed_opener": "Est-ce que vous validez ?",
        "leading": "C'est plus simple, n'est-ce pas ?",
        "spin_situation": "Combien de commandes traitez-vous actuellement ?",
        "spin_problem": "Quelles difficultés voyez-vous ?",
        "spin_implication": "Quel est l'impact sur la marge ?",
        "spin_need_payoff": "Si vous pouviez tout automatiser, que feriez-vous ?",
        "reformulation_strong": "Autrement dit, le prix vous freine.",
        "reformulation_weak": "Donc vous cherchez un partenaire fiable.",
        "summary": "Pour résumer, nous gardons le planning actuel.",
        "next_step": "Je vous envoie le devis d'ici mardi.",
        "assertive_je": "Je souhaite que nous avancions ensemble.",
        "desc_describe": "J'ai constaté trois retards cette semaine.",
        "desc_express": "Cela me préoccupe beaucoup.",
        "desc_specify": "Je te demande de prévenir l'équipe.",
        "desc_consequences": "Cela nous permettra de mieux servir les clients.",
        "aggressive": "Vous vous moquez de moi.",
        "aggressive_context": "C'est inadmissible.",
        "absolute": "Tu es toujours le dernier.",
        "passive": "Je ne sais pas, peut-être plus tard.",
        "hesitation": "Euh, je reviens vers vous.",
        "politeness": "Pourriez-vous m'envoyer le fichier, s'il vous plaît ?",
        "greeting": "Bonjour et merci de me recevoir.",
        "framing": "L'objectif de notre rencontre est simple.",
        "offer": "Notre tarif est de mille euros.",
        "concession": "Je peux vous accorder une remise.",
        "counterpart": "En contrepartie, vous signez pour deux ans.",
        "firm": "C'est notre dernier prix.",
        "stakeholder": "Qui décide en dernier ressort ?",
        "frame_context": "Le contexte est une baisse des ventes.",
        "frame_objective": "Notre objectif est de répartir les comptes.",
        "frame_agenda": "D'abord ton avis, ensuite le plan.",
        "frame_means": "Tu auras une formation dédiée.",
        "frame_results": "Les résultats attendus sont clairs.",
        "advice": "Je vous conseille de garder ce fournisseur.",
        "affirmation": "Bravo pour ce trimestre.",
        "phatic": "Bonjour, comment allez-vous ?",
        "social": "Merci, bonne fin de journée.",
        "reformulation_check": "Le délai vous inquiète, c'est bien ça ?",
        "rhetorical": "Une remise de 40 % ? C'est une blague ?",
    },
    "en": {
        "question_request": "Tell me about your priorities.",
        "wh_open": "What do you see next?",
        "wh_factual": "When does the contract end?",
        "closed_opener": "Do you sign the orders?",
        "leading": "Don't you think it is simpler?",
        "spin_situation": "What tools do you use currently?",
        "spin_problem": "Which problems do you face?",
        "spin_implication": "What is the impact on margins?",
        "spin_need_payoff": "If you could automate it, how would that help?",
        "reformulation_strong": "In other words, the price holds you back.",
        "reformulation_weak": "You need a reliable partner.",
        "summary": "To sum up, we keep the current schedule.",
        "next_step": "I'll send the quote by Tuesday.",
        "assertive_je": "I would like us to move forward together.",
        "desc_describe": "I've noticed three delays this week.",
        "desc_express": "I'm concerned about the deadline.",
        "desc_specify": "From now on, please warn the team.",
        "desc_consequences": "That way we serve customers better.",
        "aggressive": "This is unacceptable.",
        "absolute": "You are always late.",
        "passive": "Maybe later, I don't know.",
        "hesitation": "Um, I will get back to you.",
        "politeness": "Could you send the file, please?",
        "greeting": "Hello and thanks for seeing me.",
        "framing": "The goal of this meeting is simple.",
        "offer": "Our price is one thousand euros.",
        "concession": "We can offer a discount.",
        "counterpart": "In return, you sign for two years.",
        "firm": "This is our final price.",
        "stakeholder": "Who decides in the end?",
        "frame_context": "Some background first.",
        "frame_objective": "Our goal is to share the accounts.",
        "frame_agenda": "Here is the agenda.",
        "frame_means": "You will get training.",
        "frame_results": "Here are the expected results.",
        "advice": "You should keep this supplier.",
        "affirmation": "Well done on this quarter.",
        "phatic": "Hi, how are you doing?",
        "social": "Thanks a lot, see you on Thursday.",
        "reformulation_check": "The delay worries you, is that right?",
        "rhetorical": "Forty percent off? Is this a joke?",
    },
}


@pytest.mark.parametrize(
    ("lang", "family", "text"), [(lang, fam, text) for lang, cases in CASES.items() for fam, text in cases.items()]
)
def test_family_fires(lang: str, family: str, text: str) -> None:
    found = {m.family for m in load_lexicon(lang).find(text)}
    assert family in found, f"{family} not found in {text!r}: {found}"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_family_has_a_case(lang: str) -> None:
    assert set(load_lexicon(lang).patterns) == set(CASES[lang])


def test_offsets_point_into_original_text() -> None:
    text = "D’accord. Autrement dit, c’est le délai qui compte."
    m = next(x for x in load_lexicon("fr").find(text) if x.family == "reformulation_strong")
    assert text[m.start : m.end] == m.text == "Autrement dit"


def test_offsets_survive_case_folding_that_changes_length() -> None:
    text = "İSTANBUL. Autrement dit, le délai compte."
    m = next(x for x in load_lexicon("fr").find(text) if x.family == "reformulation_strong")
    assert text[m.start : m.end] == m.text
