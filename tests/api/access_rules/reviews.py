"""Access rules of the juror review routes (issue 7), merged into the authorization matrix.

The matrix's session is assigned to the demo juror but not ended: allowed callers get a 409 (« pas
terminée ») there, which the matrix accepts; the flows themselves are tested in tests/api/test_reviews.py.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

JUROR, TRAINER, ADMIN = "demo-jury", "demo-formateur", "admin-test"
JUROR_ONLY = frozenset({JUROR})
READERS = frozenset({JUROR, TRAINER, ADMIN})
MANAGERS = frozenset({TRAINER, ADMIN})

RULES: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/api/reviews/queue"): JUROR_ONLY,
    ("GET", "/api/reviews/preferences"): JUROR_ONLY,
    ("PUT", "/api/reviews/preferences"): JUROR_ONLY,
    ("GET", "/api/sessions/{session_id}/review"): READERS,
    ("PUT", "/api/sessions/{session_id}/review/criteria/{criterion_id}"): JUROR_ONLY,
    ("PUT", "/api/sessions/{session_id}/review/decision"): JUROR_ONLY,
    ("POST", "/api/sessions/{session_id}/review/sign"): JUROR_ONLY,
    ("POST", "/api/sessions/{session_id}/review/reopen"): JUROR_ONLY,
    ("GET", "/api/sessions/{session_id}/review/audit"): READERS,
    ("GET", "/api/sessions/{session_id}/review/grid.pdf"): READERS,
    ("GET", "/api/sessions/{session_id}/review/export.json"): READERS,
    ("GET", "/api/sessions/{session_id}/review/feedback"): frozenset({"demo-candidat"}) | READERS,
    ("GET", "/api/reviews/cohorts/{cohort_id}/agreement"): MANAGERS,
    ("GET", "/api/reviews/cohorts/{cohort_id}/export.csv"): MANAGERS,
    ("POST", "/api/reviews/imports"): MANAGERS,
}

TRANSCRIPT = "Candidat : Bonjour, comment organisez-vous vos achats ?\nClient : Avec un tableur.\n"


def extend_world(db: Session, world: dict[str, Any]) -> None:
    world["criterion_id"] = "ecoute_active"


def bodies(world: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        ("PUT", "/api/reviews/preferences"): {"json": {"blind": False}},
        ("PUT", "/api/sessions/{session_id}/review/criteria/{criterion_id}"): {"json": {"level": 1, "comment": "x"}},
        ("PUT", "/api/sessions/{session_id}/review/decision"): {"json": {"decision": "acquis"}},
        ("POST", "/api/sessions/{session_id}/review/reopen"): {"json": {"reason": "erreur"}},
        ("POST", "/api/reviews/imports"): {"data": {"bloc": "2"},
                                           "files": {"file": ("oral.txt", TRANSCRIPT.encode(), "text/plain")}},
    }
