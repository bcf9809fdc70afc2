"""Bloc 4 « seuils de négociation » (grid 2.4): what counts against a recap.

A recap that states a price the buyer never agreed still caps the level, but an amount off the deal's
scale (a penalty, a unit price) states no price, and a refusal read in the text does not stand against
a deal the engine recorded. Hand-written session with a hand-built engine record; the recap check's
result is set by hand so that each rule is tested on its own.
"""

from __future__ import annotations

from typing import Any

from scoring.agreement import AgreementCheck
from scoring.conversation import ConversationAnalyzer
from scoring.grid import EVALUATORS, _inputs
from scoring.rubric import load_rubric
from scoring.schema import AmountOut
from scoring.transcript import EngineRecord, NegotiationThresholds, Transcript, Turn

TH = NegotiationThresholds(unit_label="€ HT par an", list_price=120000, floor=100000, buyer_opening=90000,
                           buyer_target=98000, walk_away=112000)
LINES = [
    ("P", "Bonjour. Votre offre de télésurveillance pour nos douze sites nous intéresse, mais le prix est élevé."),
    ("C", "Bonjour. Notre proposition est de 118 000 € par an pour les douze sites, maintenance comprise."),
    ("P", "C'est trop. Nous visons plutôt 95 000 €."),
    ("C", "Je peux descendre à 110 000 € si vous vous engagez sur trois ans."),
    ("P", "Trois ans, c'est possible. Alors 110 000 €, entendu."),
    ("C", "Pour récapituler : 110 000 € par an sur trois ans, avec une pénalité de 1 500 € par jour de retard "
          "de notre part. Je vous envoie le contrat vendredi."),
    ("P", "Très bien."),
]
ENGINE = {"outcome": "deal", "ended_reason": "candidate", "seed": 2, "persona_version": "1.0",
          "state": {"turn": 3, "negotiation": {"candidate_offers": [118000, 110000], "persona_offers": [95000],
                                               "counterparts_obtained": ["duree-3-ans"], "agreed_price": 110000,
                                               "deal": True, "final_price": 110000},
                    "events": ["2:concession_with_counterpart", "2:price_agreed"]}}


def session() -> Transcript:
    turns = [Turn(id=f"t{k + 1}", speaker_role="candidate" if who == "C" else "persona",
                  speaker_name="Candidat" if who == "C" else "Mme Perrin", speaker_id=None if who == "C" else "P",
                  text=text) for k, (who, text) in enumerate(LINES)]
    return Transcript.model_validate({"bloc": 4, "language": "fr", "persona_id": "test", "turns": turns,
                                      "negotiation": TH, "engine": EngineRecord.model_validate(ENGINE)})


def thresholds(agreement: AgreementCheck, recap_amounts: list[float], on_scale: float = 1.0) -> Any:
    t = session()
    analysis = ConversationAnalyzer().transform(t)
    rubric = load_rubric(4)
    crit = next(c for c in rubric.criteria if c.id == "seuils_negociation")
    inp = _inputs(rubric, t, analysis.annotations, analysis.figures)
    recap = next(a for a in inp.annotations if str(a.id) == "t6")
    recap.amounts = [AmountOut(text=f"{v:g} €", value=v, unit="€", role="own_offer") for v in recap_amounts]
    inp.agreement = agreement
    return EVALUATORS["negotiation_thresholds"](inp, {**crit.settings(), "recap_on_scale": on_scale})


def test_recap_amount_off_the_deal_scale_is_not_a_price() -> None:
    check = AgreementCheck(recap_turn_id="t6", price_mismatch="le récapitulatif annonce 1500 alors que le prix "
                                                              "convenu est 110000")
    assert thresholds(check, [1500.0]).cap is None
    # The 2.3 reading capped it.
    assert thresholds(check, [1500.0], on_scale=0.0).cap == 1


def test_recap_price_on_scale_the_buyer_never_agreed_still_caps() -> None:
    check = AgreementCheck(recap_turn_id="t6", price_mismatch="le récapitulatif annonce 104000 alors que le prix "
                                                              "convenu est 110000")
    m = thresholds(check, [104000.0])
    assert m.cap == 1 and "104000" in m.cap_reasons[0]


def test_engine_deal_outweighs_a_refusal_read_in_the_text() -> None:
    check = AgreementCheck(recap_turn_id="t6", claims_agreement=True, refused_by=["Mme Perrin"])
    assert thresholds(check, [110000.0]).cap is None
    assert thresholds(check, [110000.0], on_scale=0.0).cap == 1
