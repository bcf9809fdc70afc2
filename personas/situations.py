"""Catalogue of the situations a persona must have French lines for.

The engine picks a situation, then one of the persona's variants for it. Keeping the catalogue in
one place lets the schema refuse a persona that lacks a line the engine may need, and lets the
documentation list them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Situation:
    """A moment of the exercise. ``blocs``: where it is required; ``placeholders``: allowed fields."""

    name: str
    description: str
    blocs: frozenset[int]
    placeholders: frozenset[str] = frozenset()
    every_speaker: bool = False  # bloc 5: each team member must have their own variants
    # Bloc 5: only meaningful between two members (one reacts to the other). A one-to-one (coaching,
    # recadrage) never reaches it, so it is neither required nor allowed there.
    pair_only: bool = False


_ALL = frozenset({2, 4, 5})
_SALES = frozenset({2, 4})
_NEGO = frozenset({4})
_TEAM = frozenset({5})

SITUATIONS: dict[str, Situation] = {
    s.name: s
    for s in [
        Situation("opening", "Ce que dit le personnage à l'ouverture (facultatif).", frozenset()),
        Situation("english", "Le candidat écrit en anglais : demande, une fois, de continuer en français "
                  "(facultatif : sinon une phrase neutre du moteur).", frozenset()),
        Situation("fact_correct", "Le candidat avance un chiffre faux sur un fait : le personnage le corrige "
                  "(facultatif).", frozenset(), frozenset({"valeur"})),
        Situation("fact_refused", "Un fait demandé trop tôt, sans refus propre au fait (facultatif).", frozenset()),
        Situation("success_with_date", "Issue favorable quand le candidat a proposé une date : le personnage "
                  "la reprend (facultatif : sinon une phrase neutre du moteur).", frozenset(), frozenset({"date"})),
        Situation("deal_recap", "Accord conclu (bloc 4) : le personnage reprend le prix et les contreparties "
                  "réellement convenus (facultatif).", frozenset(), frozenset({"prix", "contreparties"})),
        Situation("already_said", "Une question de relance sur un besoin déjà dit, toutes ses couches données : "
                  "le personnage rappelle ce qu'il a dit (facultatif).", frozenset(), frozenset({"rappel"})),
        Situation("reformulation_correct", "Reformulation fausse ou en partie juste : le personnage rétablit le "
                  "bon fait (facultatif ; écrire une phrase qui convienne aux deux cas).", frozenset(),
                  frozenset({"correction"})),
        Situation("reformulation_repeated", "La même reformulation, redite : le personnage le relève, sans "
                  "gagner en confiance (facultatif).", frozenset()),
        Situation("summary_incomplete", "Un récapitulatif juste mais trop tôt (besoins essentiels pas tous "
                  "découverts) : le personnage dit qu'il manque des points (facultatif).", frozenset()),
        Situation("price_raised", "Bloc 4 : le candidat remonte son prix après en avoir annoncé un plus bas : "
                  "l'acheteur le relève (facultatif).", frozenset(), frozenset({"avant", "prix"})),
        Situation("ask_exact_offer", "Bloc 4 : plusieurs prix, ou un pourcentage qui argumente sans rien céder : "
                  "l'acheteur demande le prix proposé (facultatif).", frozenset()),
        Situation("offer_withdrawn", "Bloc 4 : le vendeur dément un chiffre qu'on lui prêtait : l'acheteur le "
                  "retire (facultatif).", frozenset(), frozenset({"prix"})),
        Situation("recap_price_differs", "Bloc 4 : après l'accord, un récapitulatif à un autre prix : l'acheteur "
                  "rappelle le prix convenu (facultatif).", frozenset(), frozenset({"prix"})),
        Situation("fact_unknown", "Question précise sur un fait que le personnage n'a pas : il ne l'a pas en "
                  "tête, ou renvoie à qui le sait (facultatif).", frozenset()),
        Situation("closed_on_need", "Question fermée (oui/non) sur un besoin caché pas encore dit, la confiance "
                  "suffisante : le personnage dit pourquoi un oui ou un non ne suffit pas, sans rien révéler "
                  "(facultatif).", frozenset()),
        Situation("greeting", "Réponse aux salutations / à la présentation.", _ALL),
        Situation("small_talk", "Réponse à une banalité, une fois.", _ALL),
        Situation("small_talk_too_much", "Agacement quand les banalités s'éternisent.", _ALL),
        Situation("clarify", "Demande de clarification (message incompris).", _ALL),
        Situation("open_generic", "Réponse à une question ouverte qui ne vise aucun besoin caché.", _ALL),
        Situation("guarded", "Réponse évasive: la question est bonne mais la confiance insuffisante.", _ALL),
        Situation("nothing_new", "Le sujet est déjà traité.", _ALL),
        Situation("closed_short", "Réponse brève à une question fermée.", _ALL),
        Situation("closed_interrogation", "Lassitude après une rafale de questions fermées.", _ALL),
        Situation("impatient", "Impatience face à un monologue sans question.", _ALL),
        Situation("tension_rise", "Réaction à un propos agressif ou méprisant.", _ALL, every_speaker=True),
        Situation("walk_out", "Le personnage met fin à l'entretien (départ).", _ALL, every_speaker=True),
        Situation("reformulation_ok", "La reformulation est juste.", _ALL, every_speaker=True),
        Situation("reformulation_off", "La reformulation est à côté.", _ALL),
        Situation("empathy_ack", "Réaction à une marque d'empathie.", _ALL, every_speaker=True),
        Situation("apology_ack", "Réaction à des excuses.", _ALL),
        Situation("assertive_ack", "Réaction à une affirmation posée et argumentée.", _ALL),
        Situation("offer_premature", "L'offre arrive avant la découverte des besoins.", _SALES),
        Situation("offer_interest", "L'offre arrive après la découverte: intérêt prudent.", _SALES),
        Situation("closing_premature", "Demande d'engagement trop tôt.", _ALL),
        Situation("closing_without_summary", "Conclusion sans récapitulatif.", _ALL),
        Situation("closing_open_objection", "Conclusion alors qu'une objection reste ouverte.", _SALES),
        Situation("success", "Issue favorable (accord, rendez-vous, signature).", _ALL, every_speaker=True),
        Situation("no_deal", "Fin sans accord.", _ALL),
        Situation("timeout", "Le temps est écoulé.", _ALL),
        Situation("goodbye", "Au revoir sans conclusion.", _ALL),
        Situation("out_of_scope", "Hors sujet.", _ALL),
        Situation("counter_offer", "Contre-proposition chiffrée.", _NEGO, frozenset({"prix"})),
        Situation("price_too_high", "Le prix proposé reste trop haut, sans nouvelle concession.", _NEGO),
        Situation("pressure", "Concession sans contrepartie: le personnage pousse plus loin.", _SALES),
        Situation("price_accept", "Accord sur le prix.", _NEGO, frozenset({"prix"})),
        Situation("counterpart_granted", "Contrepartie accordée.", _NEGO, frozenset({"contrepartie"})),
        Situation("demand", "Le personnage réclame quelque chose en échange.", _NEGO, frozenset({"demande"})),
        Situation("price_break", "Le personnage rompt: trop de tours sans accord.", _NEGO),
        Situation("ground_rules_ack", "Accueil des règles du jeu posées par le médiateur.", _TEAM, every_speaker=True),
        Situation("interrupt", "Un membre coupe l'autre et réagit.", _TEAM, frozenset({"autre"}), True, True),
        Situation("reframe_ok", "Recadrage sur l'intérêt commun accepté.", _TEAM),
        Situation("reframe_early", "Recadrage trop tôt: les membres ne se sentent pas écoutés.", _TEAM),
        Situation("solution_rejected", "La solution ne répond pas à mon intérêt.", _TEAM, every_speaker=True),
        Situation("solution_accepted", "La solution me convient.", _TEAM, every_speaker=True),
        Situation("side_taken", "Le médiateur prend parti contre moi.", _TEAM, frozenset({"autre"}), True, True),
    ]
}


def required_situations(bloc: int, negotiation: bool = False, members: int = 2) -> list[Situation]:
    """Situations a persona of this bloc must provide lines for.

    A Bloc 2 persona may carry price thresholds too; it then needs the negotiation lines of Bloc 4.
    A Bloc 5 one-to-one (``members == 1``) has nobody to interrupt or to side with: the situations
    between two members are left out.
    """
    return [
        s
        for s in SITUATIONS.values()
        if (bloc in s.blocs or (negotiation and 4 in s.blocs)) and not (s.pair_only and members < 2)
    ]
