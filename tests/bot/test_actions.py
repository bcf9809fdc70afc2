"""action_persona_reply: Tracker snapshot in, custom JSON messages out (docs/contracts.md)."""

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import bot.actions.signals as signals_module
from bot.actions import ActionPersonaReply
from bot.actions.roleplay import MISSING_SESSION_FR
from bot.actions.signals import read_turn as real_read_turn
from personas.engine import TurnSignals
from personas.loader import load_library

PERSONA_ID = "b2-transport-frigorifique"


@pytest.fixture(scope="module")
def persona_json():
    return load_library()[PERSONA_ID].model_dump(mode="json")


@pytest.fixture(autouse=True)
def no_spacy(monkeypatch):
    """Keep the action tests fast: the scoring call is replaced unless a test says otherwise."""
    monkeypatch.setattr(signals_module, "read_turn", lambda text, history, persona, when=None: None)


def tracker(text, intent, confidence=0.93, roleplay=None, metadata=True, entities=None):
    message = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": entities or [],
    }
    if metadata:
        message["metadata"] = {"roleplay": roleplay}
    return Tracker(
        sender_id="session-1",
        slots={},
        latest_message=message,
        events=[{"event": "user", "text": text, "parse_data": message}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(tr):
    dispatcher = CollectingDispatcher()
    events = ActionPersonaReply().run(dispatcher, tr, {})
    assert events == []
    return [m["custom"] for m in dispatcher.messages]


def roleplay(persona_json, state=None, turn_index=0, history=None):
    return {
        "session_id": "session-1",
        "seed": 1234,
        "turn_index": turn_index,
        "persona": persona_json,
        "state": state,
        "history": history or [],
    }


def test_name():
    assert ActionPersonaReply().name() == "action_persona_reply"


def test_lines_then_exactly_one_state(persona_json):
    msgs = run(
        tracker("Bonjour, je suis Camille Martin, d'Optiroute.", "introduce_self", roleplay=roleplay(persona_json))
    )
    kinds = [m["kind"] for m in msgs]
    assert kinds[-1] == "state" and kinds.count("state") == 1
    assert all(k == "line" for k in kinds[:-1]) and len(kinds) >= 2
    line = msgs[0]
    assert line["speaker_id"] == "claire"
    assert line["speaker"] == "Claire Vasseur"
    assert line["text"]
    state = msgs[-1]
    assert state["ended"] is False and state["outcome"] is None
    assert state["nlu"] == {"intent": "introduce_self", "confidence": 0.93}
    assert state["state"]["persona_id"] == PERSONA_ID
    assert state["state"]["turn"] == 1


def test_state_is_carried_over(persona_json):
    first = run(tracker("Bonjour", "greet", roleplay=roleplay(persona_json)))[-1]["state"]
    second = run(
        tracker(
            "Comment organisez-vous vos tournées aujourd'hui ?",
            "ask_situation",
            roleplay=roleplay(persona_json, state=first, turn_index=1),
        )
    )
    assert second[-1]["state"]["turn"] == 2
    assert "planning-artisanal" in second[-1]["state"]["revealed_needs"]


def test_fallback_intent_asks_for_clarification_in_character(persona_json):
    msgs = run(tracker("blurp zzz", "nlu_fallback", confidence=0.2, roleplay=roleplay(persona_json)))
    assert msgs[0]["speaker_id"] == "claire"
    assert msgs[0]["text"] in load_library()[PERSONA_ID].lines["clarify"]["claire"]
    assert msgs[-1]["nlu"]["intent"] == "nlu_fallback"


@pytest.mark.parametrize(
    "bad",
    [
        None,
        {"seed": 1, "persona": None},
        {"seed": "x", "persona": {"id": "p"}, "state": None},
    ],
)
def test_missing_or_invalid_metadata(bad):
    msgs = run(tracker("Bonjour", "greet", roleplay=bad))
    assert len(msgs) == 2
    assert msgs[0]["kind"] == "line" and msgs[0]["text"] == MISSING_SESSION_FR
    assert msgs[1]["kind"] == "state" and msgs[1]["ended"] is False and msgs[1]["outcome"] is None


def test_no_metadata_at_all():
    msgs = run(tracker("Bonjour", "greet", metadata=False))
    assert msgs[0]["text"] == MISSING_SESSION_FR
    assert msgs[1]["ended"] is False


def test_invalid_persona_is_reported_not_raised(persona_json):
    broken = dict(persona_json, bloc=7)
    msgs = run(tracker("Bonjour", "greet", roleplay=roleplay(broken)))
    assert msgs[0]["text"] == MISSING_SESSION_FR
    assert "bloc" in msgs[1]["error"]


def test_the_reading_is_passed_to_the_engine_and_sent_back(persona_json, monkeypatch):
    seen = {}
    reading = TurnSignals(is_question=True, question_type="closed", reader_version="2.0").model_dump()

    def fake(text, history, persona, when=None):
        seen["args"] = (text, history, persona)
        return reading

    monkeypatch.setattr(signals_module, "read_turn", fake)
    history = [{"speaker_role": "persona", "speaker_id": "claire", "text": "Bonjour."}]
    msgs = run(
        tracker(
            "Comment organisez-vous vos tournées aujourd'hui ?",
            "ask_situation",
            roleplay=roleplay(persona_json, history=history),
        )
    )
    assert seen["args"][1] == history
    assert seen["args"][2].id == PERSONA_ID
    # the reading says « closed »: no hidden need is revealed despite the ask_situation intent
    assert msgs[-1]["state"]["revealed_needs"] == []
    # the reading the engine acted on goes back to the API, to be stored with the turn
    assert msgs[-1]["reading"] == reading


@pytest.mark.parametrize(("persona_id", "genre"), [("b4-acheteur-aeronautique", "negotiation"),
                                                    ("b5-conflit-portefeuille", "mediation")])
def test_the_personas_bloc_sets_the_kind_of_conversation(monkeypatch, persona_id, genre):
    import scoring.annotate

    seen = {}

    def fake(items):
        seen["item"] = items[0]
        raise RuntimeError("stop here")

    monkeypatch.setattr(scoring.annotate, "annotate_turns", fake)
    persona = load_library()[persona_id]
    assert real_read_turn("Bonjour à tous les deux.", [], persona) is None
    assert seen["item"]["genre"] == genre
    assert [s["id"] for s in seen["item"]["speakers"]] == [s.id for s in persona.speakers]


def test_scoring_failure_falls_back_to_intent(monkeypatch):
    import scoring.annotate

    def boom(items):
        raise RuntimeError("modèle absent")

    monkeypatch.setattr(scoring.annotate, "annotate_turns", boom)
    assert real_read_turn("Bonjour", [], load_library()[PERSONA_ID]) is None


def test_context_from_history_maps_speakers():
    ctx = signals_module.context_from_history(
        [
            {"speaker_role": "candidate", "speaker_id": "c", "text": "Bonjour"},
            {"speaker_role": "persona", "speaker_id": "claire", "text": "Bonjour."},
            {"bad": 1},
        ]
    )
    assert ctx == [{"speaker": "self", "text": "Bonjour"},
                   {"speaker": "other", "text": "Bonjour.", "speaker_id": "claire"}]


def test_ended_session_sends_no_line(persona_json):
    state = run(tracker("Au revoir", "goodbye", roleplay=roleplay(persona_json)))[-1]
    assert state["ended"] is True and state["outcome"] == "no_deal"
    again = run(tracker("Bonjour", "greet", roleplay=roleplay(persona_json, state=state["state"])))
    assert [m["kind"] for m in again] == ["state"]
    assert again[0]["ended"] is True


def test_corrupted_state_is_reported(persona_json):
    msgs = run(tracker("Bonjour", "greet", roleplay=roleplay(persona_json, state={"turn": "beaucoup"})))
    assert msgs[0]["text"] == MISSING_SESSION_FR
    assert msgs[1]["ended"] is False and msgs[1]["state"] == {"turn": "beaucoup"}


def test_engine_failure_keeps_the_session(persona_json, monkeypatch):
    import bot.actions.roleplay as roleplay_module

    def broken(*args, **kwargs):
        raise KeyError("bug")

    monkeypatch.setattr(roleplay_module, "play_turn", broken)
    msgs = run(tracker("Bonjour", "greet", roleplay=roleplay(persona_json)))
    assert msgs[0]["text"] == roleplay_module.ENGINE_FAILURE_FR
    assert msgs[1]["kind"] == "state" and msgs[1]["ended"] is False


def test_metadata_found_on_last_user_event_when_parse_data_lacks_it(persona_json):
    rp = roleplay(persona_json)
    message = {"text": "Bonjour", "intent": {"name": "greet", "confidence": 0.9}, "entities": []}
    tr = Tracker(
        sender_id="s",
        slots={},
        latest_message=message,
        events=[{"event": "user", "text": "Bonjour", "parse_data": message, "metadata": {"roleplay": rp}}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
    msgs = run(tr)
    assert msgs[0]["speaker_id"] == "claire"
    assert msgs[-1]["state"]["turn"] == 1
