"""Property: whatever the seller does, the buyer never pays beyond walk-away nor says that figure."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from personas.engine import CandidateTurn, play_turn
from personas.loader import load_library
from tests.personas.persona_helpers import session_negotiation

BUYERS = [p for p in load_library().values() if p.negotiation is not None]


def _spellings(value: float) -> list[str]:
    n = round(value)
    grouped = f"{n:,}"
    return [
        str(n),
        grouped.replace(",", " "),
        grouped.replace(",", "\u202f"),
        grouped.replace(",", "\u00a0"),
        grouped.replace(",", "."),
        f"{n // 1000}k" if n % 1000 == 0 else str(n),
        f"{n // 1000} k" if n % 1000 == 0 else str(n),
    ]


moves = st.lists(
    st.tuples(
        st.sampled_from(["propose_price", "concede", "ask_counterpart", "handle_objection", "ask_needs"]),
        st.floats(min_value=0.5, max_value=1.3),
        st.integers(min_value=-1, max_value=5),
    ),
    min_size=1,
    max_size=14,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    persona_index=st.integers(min_value=0, max_value=max(0, len(BUYERS) - 1)), sequence=moves, seed=st.integers(0, 9)
)
def test_never_beyond_walk_away_and_never_said(persona_index, sequence, seed):
    persona = BUYERS[persona_index]
    n = session_negotiation(persona, seed)  # the limit this session drew within the trainer's band
    state = None
    said: list[str] = []
    proposed: set[int] = set()
    for intent, factor, cp_index in sequence:
        amount = round(n.walk_away * factor / 100) * 100
        proposed.add(amount)
        counterpart = n.can_give[cp_index % len(n.can_give)].keywords[0] if cp_index >= 0 else ""
        text = f"Je propose {amount:,} € HT {('avec ' + counterpart) if counterpart else ''}".replace(",", " ")
        result = play_turn(persona, state, CandidateTurn(text=text, intent=intent), seed)
        state = result.state
        said += [line.text for line in result.lines]
        neg = state.get("negotiation") or {}
        if neg.get("agreed_price") is not None:
            assert neg["agreed_price"] <= n.walk_away
        assert all(offer < n.walk_away for offer in neg.get("persona_offers", []))
        if result.ended:
            break
    if round(n.walk_away) in proposed:
        return  # the candidate said the limit: echoing the candidate's own figure reveals nothing
    spoken = "\n".join(said)
    for spelling in _spellings(n.walk_away):
        assert not re.search(rf"(?<![\d]){re.escape(spelling)}(?![\d])", spoken), spelling
