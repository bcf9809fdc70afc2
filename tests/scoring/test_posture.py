"""Posture evidence (scoring.posture) and the grid 2.2 readings built on it, on hand-written exchanges.

Every exchange is written here for the test, with its own wording; each evidence function is checked
both ways (the evidence is found where it is, and not found where it is not), and each grid criterion
that reads it must rank the better conduct above the worse one.
"""

from __future__ import annotations

from typing import Any

from scoring.content import read_content
from scoring.conversation import ConversationAnalyzer
from scoring.posture import PostureEvidence, early_pitch, members_heard, read_posture, recadrages, refused_proposals
from scoring.report import score_transcript
from scoring.rubric import ContentSettings
from scoring.transcript import EngineRecord, NegotiationThresholds, Transcript, Turn


def make(bloc: int, lines: list[tuple[str, str]], engine: dict[str, Any] | None = None,
         speakers: list[dict[str, str]] | None = None,
         negotiation: NegotiationThresholds | None = None) -> Transcript:
    """A transcript from (speaker, text) pairs: "C" is the candidate, anything else a persona speaker id."""
    names = {s["id"]: s["name"] for s in speakers or []}
    turns = [Turn(id=f"t{k + 1}", speaker_role="candidate" if who == "C" else "persona",
                  speaker_name="Candidat" if who == "C" else names.get(who, "Interlocuteur"),
                  speaker_id=None if who == "C" else who, text=text) for k, (who, text) in enumerate(lines)]
    return Transcript.model_validate({"bloc": bloc, "language": "fr", "persona_id": "test", "turns": turns,
                                      "speakers": speakers or [], "negotiation": negotiation,
                                      "engine": EngineRecord.model_validate(engine) if engine else None})


def evidence(t: Transcript) -> PostureEvidence:
    analysis = ConversationAnalyzer().transform(t)
    content = read_content(t, analysis.annotations, ContentSettings())
    return read_posture(t, analysis.annotations, content)


def grid(t: Transcript) -> dict[str, Any]:
    return {i.id: i for i in score_transcript(t).grid.items}


def engine(events: list[str], **state: Any) -> dict[str, Any]:
    return {"outcome": None, "ended_reason": "candidate", "seed": 1, "persona_version": "1.0",
            "state": {"turn": 6, "events": events, **state}}


# --- Bloc 2: discover before pitching ------------------------------------------------------------------

PRICE_FIRST = [
    ("P", "Bonjour, asseyez-vous. Vous vouliez me présenter quelque chose ?"),
    ("C", "Bonjour ! Notre abonnement de télésurveillance coûte 480 € HT par mois et par site, c'est notre "
          "meilleure offre."),
    ("P", "Je ne sais même pas encore ce que vous faites exactement."),
    ("C", "Vous avez déjà un prestataire pour la sécurité de vos entrepôts ?"),
    ("P", "Oui, un gardien de nuit sur chacun des deux sites, et des rondes le week-end."),
    ("C", "Vous êtes satisfait de ce prestataire ?"),
    ("P", "Pas vraiment, nous avons eu deux cambriolages l'hiver dernier malgré les rondes."),
    ("C", "Notre offre règle ce problème, je vous envoie le contrat à 480 € par mois."),
    ("P", "Envoyez toujours, je regarderai."),
]

DISCOVERY_FIRST = [
    ("P", "Bonjour, asseyez-vous. Vous vouliez me présenter quelque chose ?"),
    ("C", "Bonjour, merci de me recevoir. Avant de vous parler de nous, comment la sécurité de vos entrepôts "
          "est-elle organisée aujourd'hui ?"),
    ("P", "Nous avons un gardien de nuit sur chacun des deux sites, et des rondes le week-end."),
    ("C", "Qu'est-ce qui vous préoccupe le plus dans cette organisation ?"),
    ("P", "Nous avons eu deux cambriolages l'hiver dernier malgré les rondes, et l'assureur a augmenté la "
          "prime de quinze pour cent."),
    ("C", "Si je comprends bien, deux cambriolages malgré les rondes et une prime d'assurance en hausse de "
          "quinze pour cent : c'est bien cela ?"),
    ("P", "Exactement, et mon directeur veut une solution avant l'été."),
    ("C", "Comment votre directeur jugera-t-il qu'une solution est la bonne ?"),
    ("P", "Il regardera le coût total par rapport au gardiennage actuel et ce qu'en dira l'assureur."),
    ("C", "Notre télésurveillance couvre les deux sites jour et nuit, pour 480 € HT par mois et par site, "
          "soit moins que le gardiennage actuel ; je vous propose de l'étudier avec votre assureur."),
    ("P", "Cela m'intéresse, envoyez-moi une proposition."),
]


def test_early_pitch_from_the_text_is_the_first_price_before_any_answer() -> None:
    t = make(2, PRICE_FIRST)
    assert early_pitch(t, *_reading(t)) == "t2"
    assert evidence(make(2, DISCOVERY_FIRST)).early_pitch is None


def test_early_pitch_from_the_engine_follows_its_own_judgement() -> None:
    # the engine knows the interlocutor asked for the offer first: no premature event, no early pitch
    asked_for = make(2, PRICE_FIRST, engine=engine(["2:need_revealed:securite"]))
    assert evidence(asked_for).early_pitch is None
    judged = make(2, DISCOVERY_FIRST, engine=engine(["2:price_before_discovery"]))
    assert evidence(judged).early_pitch == "t4"  # the candidate's second turn


def _reading(t: Transcript) -> tuple[list[Any], Any]:
    analysis = ConversationAnalyzer().transform(t)
    return analysis.annotations, read_content(t, analysis.annotations, ContentSettings())


def test_posture_ranks_discovery_above_price_first() -> None:
    good, bad = grid(make(2, DISCOVERY_FIRST)), grid(make(2, PRICE_FIRST))
    for cid in ("posture_adaptee", "discours_structure"):
        assert good[cid].measure is not None and bad[cid].measure is not None
        assert good[cid].measure > bad[cid].measure, (cid, good[cid].rationale, bad[cid].rationale)
    assert "avant toute découverte" in bad["posture_adaptee"].rationale
    assert any(e.note == "prix ou offre avant la découverte" for e in bad["posture_adaptee"].evidence)
    assert "question(s) ouverte(s) ayant obtenu une information" in good["posture_adaptee"].rationale


def test_closed_questions_count_half_for_listening() -> None:
    open_q = grid(make(2, DISCOVERY_FIRST))["ecoute_questionnement"]
    closed = [("P", DISCOVERY_FIRST[0][1]),
              ("C", "Bonjour, merci de me recevoir. Vous avez un gardien sur vos entrepôts ?"),
              DISCOVERY_FIRST[2],
              ("C", "Est-ce que cette organisation vous pose un problème ?"),
              DISCOVERY_FIRST[4], DISCOVERY_FIRST[5], DISCOVERY_FIRST[6],
              ("C", "Votre directeur regardera le coût total ?"),
              DISCOVERY_FIRST[8], DISCOVERY_FIRST[9], DISCOVERY_FIRST[10]]
    shut = grid(make(2, closed))["ecoute_questionnement"]
    assert open_q.measure is not None and shut.measure is not None
    assert shut.measure < open_q.measure


# --- recadrages ----------------------------------------------------------------------------------------

def _pushed(then: str) -> Transcript:
    return make(2, [
        ("C", "Bonjour, je viens vous présenter nos solutions d'éclairage pour vos ateliers."),
        ("P", "Bonjour. Nos ateliers sont éclairés par des tubes anciens, la facture d'électricité a doublé."),
        ("C", "Nos luminaires sont les plus performants du marché et nos clients sont tous ravis."),
        ("P", "Vous ne m'écoutez pas, je viens de vous dire que c'est la facture qui m'inquiète."),
        ("C", then),
        ("P", "Environ quarante mille euros par an pour les trois ateliers."),
    ])


def test_a_recadrage_followed_by_an_open_question_is_a_change_of_approach() -> None:
    changed = evidence(_pushed("Pardon. Comment se répartit aujourd'hui cette facture entre vos trois ateliers ?"))
    assert changed.recadrages == ["t3"] and changed.changed_after == ["t3"]
    assert changed.unanswered_recadrages == 0
    same = evidence(_pushed("Nos luminaires durent vingt ans, c'est la meilleure technologie disponible."))
    assert same.recadrages == ["t3"] and same.changed_after == []
    assert same.unanswered_recadrages == 1


def test_engine_posture_events_are_recadrages_too() -> None:
    t = _pushed("Nos luminaires durent vingt ans, c'est la meilleure technologie disponible.")
    with_engine = make(2, [(("C" if x.speaker_role == "candidate" else "P"), x.text) for x in t.turns],
                       engine=engine(["1:monologue", "2:harsh_tone"]))
    ev = evidence(with_engine)
    assert ev.recadrages == ["t1", "t3"]  # the text's pushback and the engine's events, once each


# --- Bloc 5: both members heard, no solution pushed -----------------------------------------------------

MEMBERS = [{"id": "ines", "name": "Inès Carpentier"}, {"id": "marc", "name": "Marc Leroy"}]
BOTH_HEARD = [
    ("C", "Bonjour à vous deux. Nous avons une demi-heure pour parler de la répartition des clients du "
          "secteur nord ; chacun pourra s'exprimer, puis nous chercherons une solution ensemble."),
    ("ines", "On m'a retiré trois clients que je suivais depuis deux ans, sans m'en parler."),
    ("C", "Inès, qu'est-ce qui vous a le plus gênée dans la façon dont cela s'est passé ?"),
    ("ines", "De l'apprendre par un client, pas par l'équipe. J'ai eu l'air de ne pas être au courant."),
    ("C", "Marc, de votre côté, comment avez-vous vécu cette réattribution ?"),
    ("marc", "Ces clients étaient sur ma zone depuis le redécoupage, je n'ai fait qu'appliquer la règle."),
    ("C", "Si je vous suis, Marc, vous avez appliqué le redécoupage, et vous, Inès, vous auriez voulu être "
          "prévenue. Qu'en pensez-vous l'un et l'autre ?"),
    ("ines", "Oui, c'est ça, être prévenue aurait tout changé."),
    ("marc", "D'accord, j'aurais dû la prévenir."),
]
ONE_SIDE = [
    BOTH_HEARD[0], BOTH_HEARD[1],
    ("C", "Marc, pourquoi avez-vous pris ces clients ?"),
    ("marc", "Ces clients étaient sur ma zone depuis le redécoupage, je n'ai fait qu'appliquer la règle."),
    ("C", "Marc, et qu'est-ce que le redécoupage a changé pour vous ?"),
    ("marc", "J'ai récupéré une zone plus grande, avec plus de déplacements."),
    ("C", "Marc, comment voyez-vous la suite avec ces clients ?"),
    ("marc", "Je les garde, c'est la règle."),
    ("ines", "Et moi, personne ne me demande rien ?"),
]


def test_members_heard_counts_calls_by_name_and_turns_to_both() -> None:
    both = evidence(make(5, BOTH_HEARD, speakers=MEMBERS))
    assert both.heard == {"ines": 2, "marc": 2}
    assert both.least_heard() == 2
    one = evidence(make(5, ONE_SIDE, speakers=MEMBERS))
    assert one.heard["ines"] == 0 and one.heard["marc"] == 3
    assert one.least_heard() == 0
    single = make(2, DISCOVERY_FIRST)
    assert members_heard(single, *_reading(single)) == {}
    to_both = make(5, [BOTH_HEARD[0], BOTH_HEARD[1], BOTH_HEARD[5],
                       ("C", "Comment voyez-vous la suite, l'un et l'autre ?"),
                       ("ines", "Je voudrais être prévenue la prochaine fois."), ("marc", "Moi aussi.")],
                   speakers=MEMBERS)
    assert members_heard(to_both, *_reading(to_both)) == {"ines": 1, "marc": 1}


def test_posture_ranks_hearing_both_above_hearing_one() -> None:
    both = grid(make(5, BOTH_HEARD, speakers=MEMBERS))["posture_appropriee"]
    one = grid(make(5, ONE_SIDE, speakers=MEMBERS))["posture_appropriee"]
    assert both.measure is not None and one.measure is not None
    assert both.measure > one.measure + 0.1, (both.rationale, one.rationale)
    assert "Inès Carpentier 0 fois" in one.rationale


PUSHED = [
    BOTH_HEARD[0], BOTH_HEARD[1], BOTH_HEARD[2], BOTH_HEARD[3], BOTH_HEARD[4], BOTH_HEARD[5],
    ("C", "Je vous propose que Marc rende les trois clients à Inès dès lundi."),
    ("marc", "Non, ce n'est pas juste, j'ai respecté le redécoupage."),
    ("C", "J'ai décidé : les trois clients reviennent à Inès, un point c'est tout."),
    ("marc", "Très bien, si vous le dites."),
]


def test_refused_and_imposed_solutions_are_read_from_text_and_engine() -> None:
    text = make(5, PUSHED, speakers=MEMBERS)
    ev = evidence(text)
    assert ev.refused_proposals == ["t7"]
    assert ev.imposing == ["t9"]
    assert ev.pushed_solutions == ["t7", "t9"]
    assert evidence(make(5, BOTH_HEARD, speakers=MEMBERS)).pushed_solutions == []
    rec = make(5, PUSHED, speakers=MEMBERS, engine=engine(["4:solution_rejected:marc"], members={}))
    _, content = _reading(rec)
    assert refused_proposals(rec, content) == ["t7"]  # the candidate's fourth turn, from the engine


def test_posture_ranks_a_built_solution_above_a_pushed_one() -> None:
    built = grid(make(5, BOTH_HEARD, speakers=MEMBERS))["posture_appropriee"]
    pushed = grid(make(5, PUSHED, speakers=MEMBERS))["posture_appropriee"]
    assert built.measure is not None and pushed.measure is not None
    assert pushed.measure < built.measure
    assert "proposition(s) du candidat refusée(s)" in pushed.rationale
    assert "décision(s) imposée(s)" in pushed.rationale


def test_recadrages_need_a_candidate_turn_before_them() -> None:
    t = make(2, [("P", "Restez correct, s'il vous plaît."), ("C", "Comment puis-je vous aider aujourd'hui ?"),
                 ("P", "Je cherche un fournisseur de palettes.")])
    annotations, content = _reading(t)
    assert recadrages(t, annotations, content) == ([], [])


# --- Bloc 4: no negotiation observed, stakeholders used -------------------------------------------------

THRESHOLDS = NegotiationThresholds(unit_label="€ HT", list_price=120000, floor=100000, buyer_opening=85000,
                                   buyer_target=95000, walk_away=108000)


def test_a_single_price_with_no_exchange_is_not_a_negotiation_approach() -> None:
    lines = [
        ("P", "Bonjour. Nous renouvelons le contrat de nettoyage de nos quatre résidences."),
        ("C", "Bonjour. Notre offre complète est à 120 000 € HT par an."),
        ("P", "C'est beaucoup plus que notre budget."),
        ("C", "C'est notre prix, il correspond à la qualité de notre prestation."),
        ("P", "Vous ne bougerez pas du tout ?"),
        ("C", "Non, c'est notre prix pour quatre résidences."),
        ("P", "Je vais réfléchir et comparer avec les autres offres."),
    ]
    item = grid(make(4, lines, negotiation=THRESHOLDS,
                     engine=engine([], negotiation={"candidate_offers": [120000], "persona_offers": [],
                                                    "counterparts_obtained": []})))["seuils_negociation"]
    assert item.level == 0, item.rationale
    assert "n'est pas observable" in item.rationale


def _stakeholder_lines(follow_up: str) -> list[tuple[str, str]]:
    return [
        ("C", "Bonjour. Qui intervient dans la décision sur ce contrat de nettoyage ?"),
        ("P", "Je décide avec notre directrice financière, et le comité de direction valide au-delà de "
              "cent mille euros."),
        ("C", follow_up),
        ("P", "Elle regarde surtout le coût par résidence et les pénalités."),
        ("C", "Je prépare donc un chiffrage par résidence pour votre directrice financière, et une note "
              "pour le comité de direction."),
        ("P", "Très bien."),
    ]


def test_stakeholders_used_again_count_more_than_named_once() -> None:
    used = grid(make(4, _stakeholder_lines("Que regardera votre directrice financière en priorité ?"),
                     negotiation=THRESHOLDS))["parties_prenantes"]
    once = grid(make(4, [*_stakeholder_lines("Et pour le planning des interventions, quelles sont vos "
                                             "contraintes ?")[:4],
                         ("C", "Je prépare donc un chiffrage par résidence."), ("P", "Très bien.")],
                     negotiation=THRESHOLDS))["parties_prenantes"]
    assert used.measure is not None and once.measure is not None
    assert used.measure > once.measure
    assert "repris ensuite par le candidat" in used.rationale


def test_names_in_a_contradicted_recap_are_not_explored() -> None:
    lines = [
        ("C", "Bonjour. Quels sont vos besoins pour ce contrat ?"),
        ("P", "Des interventions le soir, et un prix sous notre budget."),
        ("C", "Je vous propose 118 000 € HT par an pour les quatre résidences, interventions le soir."),
        ("P", "C'est trop cher, cela ne me va pas."),
        ("C", "Pour récapituler, nous sommes d'accord : 118 000 € HT, validé par votre directrice "
              "financière et par le comité de direction."),
        ("P", "Non, je n'ai rien accepté de tel, et personne n'a rien validé."),
    ]
    item = grid(make(4, lines, negotiation=THRESHOLDS))["parties_prenantes"]
    assert item.level == 0, item.rationale
    assert "récapitulatif contredit" in item.rationale


# --- recaps checked against the interlocutor's answer --------------------------------------------------

def _recap_then(answer: str, next_turn: str) -> Transcript:
    return make(2, [
        ("C", "Bonjour, comment vos tournées de livraison sont-elles organisées aujourd'hui ?"),
        ("P", "Nous planifions à la main chaque soir, cela prend deux heures à notre responsable."),
        ("C", "Si je comprends bien, deux heures de planification manuelle chaque soir ?"),
        ("P", "C'est cela, et les erreurs coûtent cher en carburant."),
        ("C", "Je vous propose un essai de notre planificateur sur un dépôt pendant un mois."),
        ("P", "Il faudrait que j'en parle à mon associé avant."),
        ("C", "Pour récapituler : vous signez l'essai d'un mois dès lundi, votre associé est d'accord, et "
              "je vous envoie le contrat demain."),
        ("P", answer),
        ("C", next_turn),
        ("P", "Bien, je vous rappelle."),
    ])


def test_a_recap_refused_and_left_as_is_does_not_match_what_was_agreed() -> None:
    left = grid(_recap_then("Non, je n'ai rien signé, j'ai dit que je devais en parler à mon associé.",
                            "Très bien, je vous envoie donc le contrat demain."))["conclusion_suite"]
    assert left.level is not None and left.level <= 1, left.rationale
    assert "contestée" in left.capped_by
    reopened = grid(_recap_then("Non, je n'ai rien signé, j'ai dit que je devais en parler à mon associé.",
                                "Pardon, qu'est-ce que je dois corriger dans ce récapitulatif ?"))["conclusion_suite"]
    assert not reopened.capped_by, reopened.rationale
    accepted = grid(_recap_then("Oui, c'est bien cela.", "Parfait, à lundi donc."))["conclusion_suite"]
    assert not accepted.capped_by


def test_an_agreement_the_engine_did_not_record_is_a_doubt_not_a_cap() -> None:
    members = {"ines": {"tension": 0.3, "solution_accepted": False},
               "marc": {"tension": 0.3, "solution_accepted": False}}
    lines = [*BOTH_HEARD[:6],
             ("C", "Je vous propose qu'Inès soit prévenue par Marc avant toute réattribution, dès ce mois-ci."),
             ("ines", "Ce serait déjà mieux."),
             ("C", "Pour récapituler, nous sommes d'accord : Marc prévient Inès avant toute réattribution, "
                   "à partir d'aujourd'hui, et nous faisons le point le 15."),
             ("marc", "Je verrai.")]
    t = make(5, lines, speakers=MEMBERS,
             engine=engine([], members=members, solution_agreed=False))
    item = grid(t)["compte_rendu"]
    assert not item.capped_by, item.rationale
    assert item.uncertain and "n'a pas enregistré" in item.uncertainty_fr


def test_a_short_exchange_is_flagged_for_the_jury_not_a_long_one() -> None:
    short = grid(make(5, BOTH_HEARD, speakers=MEMBERS))["posture_appropriee"]
    assert short.uncertain and "échange court" in short.uncertainty_fr
    extra: list[tuple[str, str]] = []
    for k in range(10):
        who, name = ("ines", "Inès") if k % 2 == 0 else ("marc", "Marc")
        extra += [("C", f"{name}, qu'est-ce qui vous aiderait pour le point numéro {k + 1} de la répartition ?"),
                  (who, f"Pour le point {k + 1}, il faudrait que l'on en parle avant, entre nous, chaque lundi.")]
    long = grid(make(5, [*BOTH_HEARD, *extra], speakers=MEMBERS))["posture_appropriee"]
    assert "échange court" not in long.uncertainty_fr


def test_planning_discounts_questions_asked_after_a_premature_price() -> None:
    lines = [
        ("C", "Bonjour. Pour commencer, comment vos résidences sont-elles nettoyées aujourd'hui ?"),
        ("P", "Par une entreprise locale, deux passages par semaine, et les locataires se plaignent."),
        ("C", "De quoi se plaignent-ils le plus souvent ?"),
        ("P", "Des halls sales le lundi matin et des poubelles qui débordent le week-end."),
        ("C", "Qui décidera du choix du prestataire ?"),
        ("P", "Moi, avec notre directrice financière."),
        ("C", "Quel budget prévoyez-vous pour les quatre résidences ?"),
        ("P", "Autour de cent mille euros par an."),
        ("C", "Je vous propose 115 000 € HT par an, avec un passage le lundi matin."),
        ("P", "C'est au-dessus de notre budget."),
    ]
    judged_late = grid(make(4, lines, negotiation=THRESHOLDS, engine=engine([])))["planning_negociation"]
    judged_early = grid(make(4, lines, negotiation=THRESHOLDS,
                             engine=engine(["1:price_before_discovery"])))["planning_negociation"]
    assert judged_late.measure is not None and judged_early.measure is not None
    assert judged_early.measure < judged_late.measure


def test_an_engine_record_without_events_falls_back_on_the_text() -> None:
    silent = make(2, PRICE_FIRST, engine=engine([]))
    assert evidence(silent).early_pitch == "t2"
    pushed = make(5, PUSHED, speakers=MEMBERS, engine=engine([], members={}))
    assert evidence(pushed).refused_proposals == ["t7"]
