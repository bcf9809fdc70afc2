"""A closing takes up what was actually agreed: the date the candidate proposed (not « un mardi matin »
after « jeudi 17 avril à 15 h »), the price and the counterparts the engine recorded."""

from __future__ import annotations

from personas.engine import TurnSignals
from personas.engine.french import spoken_date
from personas.loader import load_library
from tests.personas.persona_helpers import Session

LIB = load_library()
B2 = LIB["b2-transport-frigorifique"]
B4 = LIB["b4-acheteur-aeronautique"]
OPEN = TurnSignals(is_question=True, question_type="open")


def _discover(s: Session) -> None:
    for need in s.persona.needs:
        keyword = need.keywords[0] if need.keywords else ""
        s.say(f"Pouvez-vous m'en dire plus sur {keyword} ?", need.topics[0], analysis=OPEN)


def _dated(day: str, text: str) -> TurnSignals:
    return TurnSignals(is_question=True, question_type="closed", reader_version="2.0",
                       dates=[{"text": text, "iso": day, "kind": "date"}])


def test_the_meeting_is_confirmed_on_the_day_the_candidate_proposed():
    for day, said in (("2027-04-15T15:00", "jeudi 15 avril à 15 h"), ("2027-03-02", "mardi 2 mars")):
        s = Session(B2)
        _discover(s)
        s.say("Si je reprends : le planning sur Excel, les retards et leurs pénalités, et vos chauffeurs qui partent.",
              "reformulate")
        s.say(f"Je vous propose une démonstration le {said} avec votre DAF.", "propose_next_step",
              analysis=_dated(day, said))
        assert s.results[-1].outcome == "follow_up_meeting", s.events
        spoken = " ".join(line.text for line in s.results[-1].lines)
        assert spoken_date(day) in spoken
        assert "mardi matin" not in spoken


def test_spoken_dates_read_as_french():
    assert spoken_date("2027-04-15T15:00") == "jeudi 15 avril à 15 h"
    assert spoken_date("2027-04-15T09:30") == "jeudi 15 avril à 9 h 30"
    assert spoken_date("2027-04-15") == "jeudi 15 avril"


def test_a_deal_is_recapped_with_the_engines_price_and_counterparts():
    s = Session(B4)
    _discover(s)
    n = s.negotiation
    s.say(f"Notre proposition est de {int(n.candidate_list_price)} € HT par an.", "propose_price")
    price = n.candidate_list_price
    for cp in n.can_give:
        price = max(price - 12000, n.candidate_floor)
        s.say(f"Avec {cp.keywords[0]}, je propose {int(price)} € HT par an.", "propose_price")
        if s.state["negotiation"]["agreed_price"] is not None:
            break
    agreed = s.state["negotiation"]["agreed_price"]
    assert agreed is not None
    for _ in range(3):
        for obj_id in list(s.state["open_objections"]):
            obj = next(o for o in B4.objections if o.id == obj_id)
            s.say(f"Regardons {' et '.join(obj.resolution_keywords[:2])}.", "handle_objection")
        s.say("Je récapitule : le prix, l'engagement, les conditions, l'audit.", "summarize")
        s.say("Pouvons-nous valider cet accord ?", "request_commitment")
        if s.results[-1].ended:
            break
    assert s.results[-1].outcome in {"deal", "deal_below_floor"}
    spoken = " ".join(line.text for line in s.results[-1].lines)
    digits = f"{round(agreed):,}".replace(",", "\u202f")
    assert f"Je récapitule de mon côté : {digits}" in spoken
    obtained = [cp.label for cp in n.can_give if cp.id in s.state["negotiation"]["counterparts_obtained"]]
    assert obtained and all(label in spoken for label in obtained)
    assert obtained[0].startswith("un ") and "en contrepartie d'un " in spoken  # never « de un »


def test_the_recapped_counterparts_meet_de_the_french_way():
    """« en contrepartie d'un engagement », « du paiement »: the engine's own words meet the trainer's labels."""
    from personas.engine.french import join_french, join_list_fr

    assert join_french(", en contrepartie de ", join_list_fr(["un engagement sur trois ans", "deux visites"])) == \
        ", en contrepartie d'un engagement sur trois ans et deux visites"
    assert join_french(", en contrepartie de ", join_list_fr(["le paiement à 30 jours"])) == \
        ", en contrepartie du paiement à 30 jours"


def test_the_weekday_the_candidate_named_is_said_back():
    """« lundi 8 juin » when 8 June of the coming year is a Tuesday: the persona keeps the exercise's
    calendar instead of answering « mardi 8 juin »."""
    assert spoken_date("2027-06-08T10:00", said="lundi 8 juin à 10 h") == "lundi 8 juin à 10 h"
    assert spoken_date("2027-06-08") == "mardi 8 juin"
    assert spoken_date("2027-06-08", said="le 8 juin") == "mardi 8 juin"
