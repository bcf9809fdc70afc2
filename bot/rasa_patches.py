"""One fix to Rasa 3.6's hot path, installed in the Rasa server by ``bot.rasa_stores`` (which Rasa
imports at start, from the endpoints file).

Why: Rasa checks every answer of the action server with ``jsonschema.validate(result, schema)``;
with the jsonschema of Rasa's lock (4.17) that call first validates the *schema* itself against
the JSON Schema metaschema, on every call. Profiled (docs/benchmarks.md, « Load »): that metaschema
check was most of Rasa's time per turn, more than NLU and policies together. The stock `rasa init`
bot never pays it: it has no custom action. Here the validator is built and the schema checked once;
each answer is still validated against the same schema, and an invalid answer raises the same
``ValidationError`` (jsonschema's best match, with Rasa's explanation appended).

Imports Rasa: never imported by the app or the action server.
"""

from __future__ import annotations

from typing import Any

from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_validators: dict[int, Any] = {}


def _validator(schema: dict[str, Any]) -> Any:
    """The validator of this schema, checked against its metaschema once per process."""
    key = id(RemoteAction.action_response_format_spec)
    validator = _validators.get(key)
    if validator is None:
        cls = validator_for(schema)
        cls.check_schema(schema)
        validator = _validators[key] = cls(schema)
    return validator


def validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """Rasa's ``RemoteAction._validate_action_result`` with the validator built once."""
    error: ValidationError | None = best_match(_validator(self.action_response_format_spec()).iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the Action "
        f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    """Replace the per-call schema check (idempotent)."""
    RemoteAction._validate_action_result = validate_action_result
