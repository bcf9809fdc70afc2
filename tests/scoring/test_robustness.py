"""Arbitrary text never crashes the annotator and always yields contract-valid labels."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.annotate import annotate_turns

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT, other=TEXT, lang=st.sampled_from(["fr", "en"]))
def test_any_text_gives_valid_labels(text: str, other: str, lang: str) -> None:
    ann = annotate_turns([{"id": "h", "lang": lang, "text": text,
                           "context": [{"speaker": "other", "text": other}]}])[0]
    assert ann.question_type in ("open", "closed", None)
    assert (ann.question_type is None) == (not ann.is_question)
    assert ann.assertiveness in ("assertive", "aggressive", "passive", "neutral")
    if ann.is_reformulation and ann.reformulation.context_checked:
        assert ann.reformulation.target_index == 0
    for m in ann.markers:
        assert text[m.start : m.end] == m.text


def test_empty_and_whitespace_turns() -> None:
    out = annotate_turns([{"id": 1, "lang": "fr", "text": ""}, {"id": 2, "lang": "en", "text": "   \n "}])
    assert [a.is_question for a in out] == [False, False]
    assert annotate_turns([]) == []
