"""Negotiation moves in a turn: offers, concessions, counterparts asked, firm refusals, with amounts."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from scoring.extensions import register_extensions
from scoring.numbers import extract_quantities

MOVE_FAMILIES = {"offer": "offer", "concession": "concession", "counterpart": "counterpart", "firm": "firm"}


class NegotiationDetector:
    """Set ``doc._.negotiation``: a list of ``{"move", "text", "start", "end", "amounts"}`` dicts.

    Amounts are attached to the turn, not to one move: a turn usually states one price.
    """

    def __init__(self, nlp: Language, name: str) -> None:
        register_extensions()
        self.name = name
        self.lang = nlp.lang or "fr"

    def __call__(self, doc: Doc) -> Doc:
        moves: list[dict[str, object]] = []
        markers = doc._.markers or []
        amounts = [q for q in extract_quantities(doc.text, self.lang) if q.kind in ("amount", "percentage")]
        money = [a.value for a in amounts if a.kind == "amount"]
        percents = [a.value for a in amounts if a.kind == "percentage"]
        for m in markers:
            move = MOVE_FAMILIES.get(m.label_)
            if move is None:
                continue
            moves.append({"move": move, "text": m.text, "start": m.start_char, "end": m.end_char,
                          "amounts": money, "percents": percents})
        if money and not moves:
            moves.append({"move": "amount", "text": amounts[0].text, "start": 0, "end": 0,
                          "amounts": money, "percents": percents})
        doc._.negotiation = moves
        return doc


@Language.factory("scoring_negotiation", default_config={})
def make_negotiation(nlp: Language, name: str) -> NegotiationDetector:
    """Factory (no settings: the moves are defined by the lexicon)."""
    return NegotiationDetector(nlp, name)
