"""The NLU training data, domain, rules and config honour the contract with bot/actions."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from tests.nlu import _nlu_data as d


def test_domain_declares_exactly_the_contract_intents() -> None:
    intents = d.domain_intents()
    assert len(intents) == len(set(intents)), "intent listed twice in bot/domain.yml"
    assert sorted(intents) == sorted(d.CONTRACT_INTENTS)


def test_domain_declares_the_entities_and_the_persona_action() -> None:
    assert sorted(d.domain_entities()) == sorted(d.CONTRACT_ENTITIES)
    assert d.PERSONA_ACTION in d.domain()["actions"]


def test_session_config_carries_slots_over() -> None:
    session = d.domain()["session_config"]
    assert session["carry_over_slots_to_new_session"] is True
    assert session["session_expiration_time"] > 0


def test_nlu_data_uses_only_domain_intents() -> None:
    unknown = {e.intent for e in d.examples()} - set(d.domain_intents())
    assert not unknown, f"intents with examples but missing from the domain: {sorted(unknown)}"


@pytest.mark.parametrize("intent", d.CONTRACT_INTENTS)
def test_every_intent_has_enough_distinct_examples(intent: str) -> None:
    distinct = {d.normalise(e.text) for e in d.examples() if e.intent == intent}
    assert len(distinct) >= d.MIN_EXAMPLES, f"{intent}: {len(distinct)} distinct examples < {d.MIN_EXAMPLES}"


def test_no_example_is_duplicated() -> None:
    seen: dict[str, list[str]] = defaultdict(list)
    for example in d.examples():
        seen[d.normalise(example.text)].append(f"{example.intent} ({example.file})")
    duplicated = {text: where for text, where in seen.items() if len(where) > 1}
    assert not duplicated, f"examples found more than once: {duplicated}"


def test_no_example_is_shared_between_intents() -> None:
    intents_by_text: dict[str, set[str]] = defaultdict(set)
    for example in d.examples():
        intents_by_text[d.normalise(example.text)].add(example.intent)
    clashes = {text: sorted(i) for text, i in intents_by_text.items() if len(i) > 1}
    assert not clashes, f"same example under several intents: {clashes}"


def test_annotated_entities_are_declared() -> None:
    used = Counter(name for e in d.examples() for _text, name in e.entities)
    assert set(used) <= set(d.domain_entities()), f"undeclared entities: {set(used) - set(d.domain_entities())}"
    # RegexEntityExtractor only keeps the regexes whose name is annotated somewhere in the data.
    assert set(used) == set(d.CONTRACT_ENTITIES), f"entities never annotated: {set(d.CONTRACT_ENTITIES) - set(used)}"


def test_annotated_entities_are_found_by_their_regex() -> None:
    missed = [
        (e.intent, text, name)
        for e in d.examples()
        for text, name in e.entities
        if not any(text.lower() in m.lower() or m.lower() in text.lower() for m in d.regex_matches(name, e.text))
    ]
    assert not missed, f"annotations the regex extractor would not find: {missed}"


def test_each_intent_has_a_rule_to_the_persona_action() -> None:
    covered = set()
    for rule in d.rules():
        steps = rule["steps"]
        intents = [s["intent"] for s in steps if "intent" in s]
        actions = [s["action"] for s in steps if "action" in s]
        assert actions == [d.PERSONA_ACTION], f"rule {rule['rule']!r} must run only {d.PERSONA_ACTION}"
        assert len(intents) == 1 and steps[0].get("intent") == intents[0], f"rule {rule['rule']!r}: one intent first"
        covered.add(intents[0])
    missing = (set(d.CONTRACT_INTENTS) | {"nlu_fallback"}) - covered
    assert not missing, f"intents without a rule to {d.PERSONA_ACTION}: {sorted(missing)}"


def test_config_is_offline_and_has_the_fallbacks() -> None:
    cfg = d.config()
    assert cfg["language"] == "fr"
    names = [c["name"] for c in cfg["pipeline"]]
    forbidden = {"SpacyNLP", "SpacyTokenizer", "SpacyFeaturizer", "SpacyEntityExtractor", "MitieNLP",
                 "LanguageModelFeaturizer", "DucklingEntityExtractor", "ConveRTFeaturizer"}
    assert not forbidden & set(names), "pipeline needs a download at run time"
    assert "RegexEntityExtractor" in names
    fallback = next(c for c in cfg["pipeline"] if c["name"] == "FallbackClassifier")
    assert 0 < fallback["threshold"] < 1
    rule_policy = next(p for p in cfg["policies"] if p["name"] == "RulePolicy")
    assert rule_policy["core_fallback_action_name"] == d.PERSONA_ACTION
