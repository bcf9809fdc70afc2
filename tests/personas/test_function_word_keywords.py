"""A persona keyword that is one function word never routes a question (issue 11, item 9; issue 12).

« qui » as a keyword of the decision need sent « qu'est-ce qui vous gêne ? » to the decision process.
"""

from __future__ import annotations

from personas.engine.reading import fold, is_function_word, mentions
from personas.lint import lint_persona
from personas.loader import load_library
from personas.schema import Persona

LIB = load_library()


def test_a_lone_function_word_never_matches_but_a_phrase_with_it_does() -> None:
    asked = fold("Qu'est-ce qui vous empêche de dormir en ce moment ?")
    assert not mentions(asked, ["qui ", "que", "vous"])
    assert mentions(fold("Et qui d'autre donne son avis ?"), ["qui d'autre"])
    assert mentions(fold("Quand pensez-vous démarrer ?"), ["quand"])  # names the calendar: kept
    assert is_function_word("Qui ") and not is_function_word("décid")


def test_the_lint_tells_the_trainer_which_keyword_is_ignored() -> None:
    persona = LIB["b2-transport-frigorifique"]
    data = persona.model_dump()
    data["needs"][0]["keywords"] = [*data["needs"][0]["keywords"], "qui "]
    warnings = lint_persona(Persona.model_validate(data))
    assert any(w.startswith("needs.0.keywords:") and "« qui »" in w and "mot outil" in w for w in warnings)


def test_the_shipped_library_has_no_function_word_keyword() -> None:
    for persona in LIB.values():
        for group in (persona.needs, persona.facts, persona.objections):
            for item in group:
                words = [*(item.keywords or []), *(getattr(item, "resolution_keywords", None) or [])]
                assert not [w for w in words if is_function_word(w)], persona.id
