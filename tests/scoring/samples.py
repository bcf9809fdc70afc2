"""Hand-written role-play transcripts (strong and weak candidates) for the grid tests."""

from __future__ import annotations

from scoring.transcript import NegotiationThresholds, Transcript, Turn


def make(
    bloc: int | None, lines: list[tuple[str, str]], lang: str = "fr", negotiation: NegotiationThresholds | None = None
) -> Transcript:
    turns = [
        Turn(
            id=f"t{i + 1}",
            speaker_role="candidate" if who == "C" else "persona",
            speaker_name="Candidat" if who == "C" else "Interlocuteur",
            text=text,
        )
        for i, (who, text) in enumerate(lines)
    ]
    return Transcript(bloc=bloc, language=lang, persona_id="test", turns=turns, negotiation=negotiation)


BLOC2_STRONG = [
    (
        "C",
        "Bonjour Monsieur Durand, merci de me recevoir. L'objectif de ce rendez-vous est de comprendre "
        "vos enjeux logistiques et de voir si notre offre peut vous aider.",
    ),
    ("P", "Bonjour. Nous avons surtout un souci de délais de livraison vers nos magasins."),
    ("C", "Racontez-moi comment se passent vos livraisons aujourd'hui."),
    ("P", "Les camions partent le soir, mais un tiers des magasins reçoit la marchandise avec un jour de retard."),
    ("C", "Si je comprends bien, un tiers de vos magasins reçoit la marchandise avec un jour de retard ?"),
    ("P", "Oui, et les rayons restent vides le matin."),
    ("C", "Quelles conséquences ces rayons vides ont-ils sur vos ventes du matin ?"),
    ("P", "On estime perdre quatre pour cent du chiffre d'affaires de la matinée."),
    ("C", "Qu'est-ce qui vous aiderait le plus : des départs plus tôt ou un suivi en temps réel des camions ?"),
    ("P", "Un suivi en temps réel, pour prévenir les magasins."),
    (
        "C",
        "Notre plateforme de suivi en temps réel prévient automatiquement chaque magasin du retard et "
        "propose un créneau de livraison corrigé.",
    ),
    ("P", "Intéressant. Et pour le déploiement ?"),
    (
        "C",
        "Pour résumer, vos magasins reçoivent la marchandise en retard, les rayons restent vides et vous "
        "perdez du chiffre d'affaires ; nous avons convenu de tester le suivi en temps réel sur dix "
        "magasins. Je vous envoie la proposition d'ici vendredi et nous faisons un point le 12 mars.",
    ),
    ("P", "Parfait, merci."),
]

BLOC2_WEAK = [
    (
        "C",
        "Alors voilà, notre société existe depuis vingt ans, nous avons une plateforme logicielle très complète "
        "avec des modules de gestion, de facturation, de stock, de transport, de reporting et bien plus encore, "
        "nos clients sont très contents et nous avons gagné plusieurs prix, notre équipe est composée "
        "d'ingénieurs expérimentés, et franchement c'est la meilleure solution du marché, tout le monde le sait, "
        "les concurrents sont loin derrière et nos tarifs sont compétitifs, je peux vous envoyer une "
        "documentation complète si vous voulez, nous travaillons avec de grandes enseignes depuis longtemps.",
    ),
    ("P", "Nous avons surtout un souci de délais de livraison."),
    ("C", "Oui, enfin, notre logiciel règle tout, vous devez le prendre, c'est évident."),
    ("P", "Je ne suis pas convaincu."),
    ("C", "Vous ne comprenez rien, c'est inadmissible de dire ça !"),
    ("P", "Bon, au revoir."),
    ("C", "Euh... désolé, je suis vraiment désolé, peut-être que je ne sais pas bien expliquer."),
]

BLOC4_STRONG = [
    (
        "C",
        "Bonjour Madame Leroy, merci de me recevoir. Je vous propose de commencer par vos besoins, puis je "
        "vous présenterai notre proposition.",
    ),
    ("P", "Bonjour, allons-y."),
    ("C", "Qui intervient dans la décision pour ce projet, en plus de vous ?"),
    ("P", "Le directeur financier valide tout achat au-dessus de trente mille euros."),
    (
        "C",
        "Si je comprends bien, le directeur financier valide les achats au-dessus de trente mille euros. "
        "Quels critères regarde-t-il en priorité ?",
    ),
    ("P", "Le retour sur investissement et le délai de paiement."),
    ("C", "Comment mesurez-vous aujourd'hui le coût des pannes sur vos machines ?"),
    ("P", "Chaque arrêt de ligne nous coûte environ cinq mille euros."),
    ("C", "Je vous propose notre contrat de maintenance prédictive à 48 000 € HT par an."),
    ("P", "C'est trop cher, nous visons 40 000 €."),
    ("C", "Je peux descendre à 45 000 € à condition que vous vous engagiez sur trois ans."),
    ("P", "Trois ans, d'accord, si vous incluez la formation."),
    (
        "C",
        "En contrepartie de la formation incluse, je vous demande un paiement à trente jours ; nous "
        "restons à 45 000 €.",
    ),
    ("P", "Entendu."),
    (
        "C",
        "Pour résumer, nous avons convenu d'un contrat de trois ans à 45 000 € HT par an avec la formation "
        "incluse et un paiement à trente jours ; je vous envoie le contrat d'ici jeudi pour validation par "
        "votre directeur financier.",
    ),
]

BLOC4_WEAK = [
    ("C", "Bonjour, notre contrat de maintenance coûte 48 000 € HT."),
    ("P", "C'est trop cher, nous visons 40 000 €."),
    ("C", "Bon, d'accord, je peux faire 44 000 €."),
    ("P", "Toujours trop cher."),
    ("C", "Euh... peut-être 40 000 € alors, désolé."),
    ("P", "Et 36 000 € ?"),
    ("C", "Comme vous voulez, 36 000 € ça ira."),
]
BLOC4_THRESHOLDS = NegotiationThresholds(
    list_price=48000, floor=42000, buyer_opening=38000, buyer_target=42000, walk_away=46000
)

BLOC5_STRONG = [
    (
        "C",
        "Bonjour Julie, merci d'être venue. Je t'ai proposé ce point suite à la réunion d'équipe de lundi. "
        "L'objectif est de trouver ensemble une organisation pour les relances clients. Nous avons trente "
        "minutes : d'abord ton point de vue, ensuite des solutions, enfin un plan d'action.",
    ),
    ("P", "D'accord. Je trouve que je fais toutes les relances pendant que Marc part en rendez-vous."),
    (
        "C",
        "Si je comprends bien, tu as le sentiment de faire toutes les relances pendant que Marc part en rendez-vous ?",
    ),
    ("P", "Oui, et je n'ai plus le temps de prospecter."),
    ("C", "Qu'est-ce que cela change pour tes propres objectifs de prospection ?"),
    ("P", "Je suis à soixante pour cent de mon objectif ce trimestre."),
    (
        "C",
        "J'ai constaté que les relances ne sont pas réparties dans le planning. Je suis préoccupé par "
        "ton objectif de prospection. Je te propose que les relances soient partagées à parts égales avec "
        "Marc ; cela nous permettra de tenir les objectifs de chacun.",
    ),
    ("P", "Ça me convient."),
    (
        "C",
        "Pour récapituler, nous avons décidé de partager les relances à parts égales avec Marc ; je "
        "modifie le planning d'ici vendredi et nous faisons un point dans deux semaines.",
    ),
]

BLOC5_WEAK = [
    ("C", "Bon, Julie, il faut que tu arrêtes de te plaindre."),
    ("P", "Je fais toutes les relances pendant que Marc part en rendez-vous."),
    ("C", "Tu exagères, tu es toujours en train de râler, c'est toujours la même chose avec toi !"),
    ("P", "Ce n'est pas juste."),
    ("C", "Débrouille-toi avec Marc, ce n'est pas mon problème."),
]
