"""Juror review of scored sessions: the queue, the grid's life (override, decide, sign, reopen),
the audit trail, double marking and the figures shown next to the transcript.

Rules a certification jury expects, enforced here rather than in the pages:
- the automatic level is a proposal; a final level that differs from it needs a written comment;
- a signed grid is locked (409) until reopened, and reopening is itself recorded with its reason;
- every change appends one audit row (who, when, before, after); nothing updates or deletes them;
- with several jurors, nobody sees another juror's grid before every assigned juror has signed;
- the feedback goes to the candidate only once every assigned juror has signed (409 before);
- in blind marking the candidate's name is hidden in the transcript text the juror reads, too.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from api import formatting
from api.errors import ApiError
from api.models import (
    Cohort,
    CohortMember,
    JurorAssignment,
    ReviewAudit,
    ReviewCriterion,
    ReviewGrid,
    ReviewPreference,
    Role,
    RoleplaySession,
    SessionStatus,
    Turn,
    User,
)
from api.models.base import utcnow
from api.models.cohort import SessionMode
from api.models.review import Decision, GridStatus, QueueStatus, ReviewAuditPublic
from api.services.agreement import cohen_kappa, interpret_kappa, percent_agreement
from scoring.reliability import criterion_reliability

LEVEL_LABELS = {0: "Non observé", 1: "Insuffisant", 2: "Satisfaisant", 3: "Maîtrisé"}
DECISION_LABELS = {Decision.acquis: "Acquis", Decision.non_acquis: "Non acquis"}
QUEUE_LABELS = {QueueStatus.a_corriger: "À corriger", QueueStatus.en_cours: "En cours",
                QueueStatus.signee: "Signée"}
ACTION_LABELS = {"criterion": "niveau de critère", "decision": "décision", "sign": "signature",
                 "reopen": "réouverture", "release": "publication du retour au candidat",
                 "withdraw": "retrait de la publication (grille rouverte)"}
FIGURES = [  # (key in the report's conversation figures, French label, kind)
    ("questions", "Questions posées", "int"),
    ("open_questions", "Questions ouvertes", "int"),
    ("closed_questions", "Questions fermées", "int"),
    ("reformulations", "Reformulations", "int"),
    ("talk_share_words", "Part de parole (mots)", "percent"),
    ("longest_monologue_words", "Plus long monologue (mots)", "int"),
    ("candidate_turns", "Tours du candidat", "int"),
]
SIGNED_LOCK = "La grille est signée : elle ne peut plus être modifiée. Rouvrez-la pour la corriger."


# --- reading the automatic report --------------------------------------------------------------

def report_items(session: RoleplaySession) -> list[dict[str, Any]]:
    grid = (session.report or {}).get("grid") or {}
    items = grid.get("items") or []
    return [item for item in items if isinstance(item, dict) and item.get("id")]


def require_reviewable(session: RoleplaySession) -> None:
    """Only an ended session with a criteria grid can be marked."""
    if session.status != SessionStatus.ended:
        raise ApiError(409, "session_active", "La session n'est pas terminée : rien à corriger pour l'instant.")
    if not report_items(session):
        raise ApiError(409, "no_grid", "Cette session n'a pas de grille de critères à corriger (rapport vide).")


def candidate_label(session: RoleplaySession, candidate: User | None, blind: bool) -> str:
    """The candidate's name, or a stable anonymous code in blind marking."""
    if blind:
        return f"Candidat·e n° {session.id[:6].upper()}"
    if candidate is None:
        return "—"
    return candidate.full_name or candidate.username


def is_blind(db: Session, user: User) -> bool:
    preference = db.get(ReviewPreference, user.id)
    return bool(preference and preference.blind)


def set_blind(db: Session, user: User, blind: bool) -> bool:
    assert user.id is not None
    preference = db.get(ReviewPreference, user.id) or ReviewPreference(juror_id=user.id)
    preference.blind = blind
    db.add(preference)
    db.commit()
    return blind


# --- blind marking: names said inside the transcript ---------------------------------------------

NAME_SEPARATORS = re.compile(r"[\s\-'’._]+")
NAME_PARTICLES = {"des", "del", "della", "der", "den", "van", "von", "dos", "das", "les"}


def _fold(text: str) -> tuple[str, list[int]]:
    """Lower-cased text without accents, and for each of its characters the index it comes from
    (a character may fold to several, or to none for a lone combining accent)."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for piece in unicodedata.normalize("NFKD", char.lower()):
            if not unicodedata.combining(piece):
                folded.append(piece)
                origin.append(index)
    return "".join(folded), origin


def _letters(text: str) -> int:
    return sum(1 for char in text if char.isalpha())


@lru_cache(maxsize=256)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for every variant of the names (whole, then each part), longest first so that
    « Alice Martin » is replaced once rather than as two labels."""
    variants: set[str] = set()
    for name in names:
        whole = " ".join(name.split())
        for variant in [whole, *NAME_SEPARATORS.split(whole)]:
            folded = _fold(variant)[0]
            if _letters(folded) >= 3 and folded not in NAME_PARTICLES:
                variants.add(folded)
    if not variants:
        return None
    alternatives = [r"[\s\-]+".join(re.escape(word) for word in variant.split(" "))
                    for variant in sorted(variants, key=lambda v: (-len(v), v))]
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def mask_names(text: str, names: list[str], label: str) -> str:
    """Replace the names (each whole and each of its parts of 3 letters or more) by `label`, ignoring
    case and accents, on word boundaries only: « Léa » hides « lea » and « LÉA », not « Léandre ».

    Pure text in, pure text out: call it before any HTML escaping (the templates escape it)."""
    pattern = _names_pattern(tuple(n for n in names if n and n.strip()))
    if pattern is None or not text:
        return text
    folded, origin = _fold(text)
    pieces: list[str] = []
    last = 0
    for match in pattern.finditer(folded):
        start = origin[match.start()]
        end = origin[match.end()] if match.end() < len(origin) else len(text)
        if start < last:  # two folded matches inside one source character: keep the first
            continue
        pieces.append(text[last:start])
        pieces.append(label)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def candidate_names(candidate: User | None) -> list[str]:
    """What may name the candidate in a transcript: their full name and their username."""
    if candidate is None:
        return []
    return [n for n in (candidate.full_name, candidate.username) if n]


# Identifiers, codes and rubric wording (never the transcript's words): left alone by mask_data.
UNMASKED_KEYS = {"id", "turn_id", "speaker_role", "speaker_id", "question_type", "question_form", "assertiveness",
                 "spin", "status", "mode", "decision", "bloc", "language", "label", "title", "level_label",
                 "rubric_version"}


def mask_data(value: Any, mask: Callable[[str], str]) -> Any:
    """A copy of a JSON-like value with every free-text string passed through `mask`."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        return [mask_data(item, mask) for item in value]
    if isinstance(value, dict):
        return {key: item if key in UNMASKED_KEYS or str(key).endswith("_id") else mask_data(item, mask)
                for key, item in value.items()}
    return value


def blind_masker(db: Session, session: RoleplaySession, viewer: User) -> Callable[[str], str] | None:
    """For a juror marking blind: hides the candidate's name in transcript text and quotes (replaced by
    the same anonymous code as in the headers). None for everyone else, who reads the text as is."""
    if viewer.role != Role.juror or not is_blind(db, viewer):
        return None
    names = candidate_names(db.get(User, session.candidate_id))
    label = candidate_label(session, None, blind=True)

    def mask(text: str) -> str:
        return mask_names(text, names, label)

    return mask


def masked_turn(turn: Any, mask: Callable[[str], str]) -> dict[str, str]:
    """A turn's text and speaker as a blind juror reads them: plain text, still escaped where shown."""
    return {"text": mask(turn.text),
            "speaker_name": "Candidat·e" if turn.speaker_role == "candidate" else mask(turn.speaker_name)}


def masked_turns(turns: list[Turn], mask: Callable[[str], str] | None) -> list[Any]:
    """The turns a page shows: as stored, or read-only copies hiding the name when `mask` is set."""
    if mask is None:
        return turns
    return [SimpleNamespace(**{**{name: getattr(turn, name) for name in Turn.model_fields},
                               **masked_turn(turn, mask)}) for turn in turns]


# --- grids ---------------------------------------------------------------------------------------

def grid_of(db: Session, session_id: str, juror_id: int | None) -> ReviewGrid | None:
    return db.exec(select(ReviewGrid).where(ReviewGrid.session_id == session_id,
                                            ReviewGrid.juror_id == juror_id)).first()


def grids_of(db: Session, session_id: str) -> list[ReviewGrid]:
    return list(db.exec(select(ReviewGrid).where(ReviewGrid.session_id == session_id)
                        .order_by(col(ReviewGrid.id))))


def criteria_of(db: Session, grid_id: int | None) -> list[ReviewCriterion]:
    return list(db.exec(select(ReviewCriterion).where(ReviewCriterion.grid_id == grid_id)
                        .order_by(col(ReviewCriterion.position))))


def ensure_grid(db: Session, session: RoleplaySession, juror: User) -> ReviewGrid:
    """The juror's grid, created on the first change as a copy of the automatic levels."""
    require_reviewable(session)
    grid = grid_of(db, session.id, juror.id)
    if grid is not None:
        return grid
    assert juror.id is not None
    report_grid = (session.report or {}).get("grid") or {}
    grid = ReviewGrid(session_id=session.id, juror_id=juror.id,
                      rubric_version=str(report_grid.get("rubric_version") or "")[:40])
    db.add(grid)
    try:
        db.flush()
    except IntegrityError:  # the same juror's other tab created it a moment ago
        db.rollback()
        existing = grid_of(db, session.id, juror.id)
        if existing is None:
            raise
        return existing
    assert grid.id is not None
    for position, item in enumerate(report_items(session)):
        level = item.get("level")
        db.add(ReviewCriterion(grid_id=grid.id, criterion_id=str(item["id"])[:60], position=position,
                               label=str(item.get("label") or "")[:300],
                               auto_level=level if isinstance(level, int) else None,
                               final_level=level if isinstance(level, int) else None))
    db.flush()
    return grid


def _audit(db: Session, grid: ReviewGrid, actor: User, action: str, target: str,
           before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    assert grid.id is not None and actor.id is not None
    db.add(ReviewAudit(grid_id=grid.id, session_id=grid.session_id, actor_id=actor.id, action=action,
                       target=target, before=before, after=after))


def _unlocked(grid: ReviewGrid) -> None:
    if grid.status == GridStatus.signed:
        raise ApiError(409, "grid_signed", SIGNED_LOCK)


def set_criterion(db: Session, session: RoleplaySession, juror: User, criterion_id: str, level: int,
                  comment: str) -> ReviewGrid:
    """Set a criterion's final level; a level other than the automatic one must be justified."""
    grid = ensure_grid(db, session, juror)
    _unlocked(grid)
    criterion = db.exec(select(ReviewCriterion).where(ReviewCriterion.grid_id == grid.id,
                                                      ReviewCriterion.criterion_id == criterion_id)).first()
    if criterion is None:
        raise ApiError(404, "criterion_not_found", f"Critère inconnu dans cette grille : {criterion_id}.")
    comment = comment.strip()
    if level != criterion.auto_level and not comment:
        auto = ("il n'y a pas de niveau automatique" if criterion.auto_level is None
                else f"le niveau automatique est {criterion.auto_level}")
        raise ApiError(422, "comment_required",
                       f"Commentaire obligatoire : le niveau {level} diffère du niveau automatique ({auto}).")
    before = {"level": criterion.final_level, "comment": criterion.comment}
    after = {"level": level, "comment": comment}
    if before != after:
        criterion.final_level, criterion.comment, criterion.updated_at = level, comment, utcnow()
        grid.updated_at = utcnow()
        db.add(criterion)
        db.add(grid)
        _audit(db, grid, juror, "criterion", criterion.criterion_id, before, after)
    db.commit()
    db.refresh(grid)
    return grid


def set_decision(db: Session, session: RoleplaySession, juror: User, decision: Decision,
                 comment: str) -> ReviewGrid:
    grid = ensure_grid(db, session, juror)
    _unlocked(grid)
    before = {"decision": grid.decision, "comment": grid.decision_comment}
    after = {"decision": str(decision), "comment": comment.strip()}
    if before != after:
        grid.decision, grid.decision_comment, grid.updated_at = str(decision), comment.strip(), utcnow()
        db.add(grid)
        _audit(db, grid, juror, "decision", "decision", before, after)
    db.commit()
    db.refresh(grid)
    return grid


def remaining(db: Session, grid: ReviewGrid | None, session: RoleplaySession) -> list[str]:
    """What still blocks the signature, in French (an untouched grid lists the criteria to level)."""
    if grid is None:
        missing = [str(i.get("label") or i["id"]) for i in report_items(session) if not isinstance(i.get("level"), int)]
        return [f"Niveau à fixer : {label}" for label in missing] + ["Décision à prendre (acquis / non acquis)"]
    todo = [f"Niveau à fixer : {c.label or c.criterion_id}" for c in criteria_of(db, grid.id) if c.final_level is None]
    if grid.decision is None:
        todo.append("Décision à prendre (acquis / non acquis)")
    return todo


def sign(db: Session, session: RoleplaySession, juror: User) -> ReviewGrid:
    grid = ensure_grid(db, session, juror)
    _unlocked(grid)
    todo = remaining(db, grid, session)
    if todo:
        raise ApiError(422, "grid_incomplete", "La grille ne peut pas être signée : " + " ; ".join(todo) + ".",
                       extra={"remaining": todo})
    grid.status, grid.signed_at, grid.updated_at = GridStatus.signed, utcnow(), utcnow()
    db.add(grid)
    levels = {c.criterion_id: c.final_level for c in criteria_of(db, grid.id)}
    _audit(db, grid, juror, "sign", "grille", {"status": "draft"},
           {"status": "signed", "decision": grid.decision, "levels": levels})
    db.commit()
    db.refresh(grid)
    return grid


def reopen(db: Session, session: RoleplaySession, juror: User, reason: str) -> ReviewGrid:
    grid = grid_of(db, session.id, juror.id)
    if grid is None or grid.status != GridStatus.signed:
        raise ApiError(409, "grid_not_signed", "La grille n'est pas signée : il n'y a rien à rouvrir.")
    before = {"status": "signed", "signed_at": grid.signed_at.isoformat() if grid.signed_at else None}
    grid.status, grid.signed_at, grid.updated_at = GridStatus.draft, None, utcnow()
    db.add(grid)
    _audit(db, grid, juror, "reopen", "grille", before, {"status": "draft", "reason": reason.strip()})
    if session.feedback_released_at is not None:
        # A grid under correction must not leave the candidate reading a partial or stale feedback: the
        # publication is withdrawn until every grid is signed again and the feedback released anew.
        _audit(db, grid, juror, "withdraw", "retour",
               {"feedback_released_at": session.feedback_released_at.isoformat()},
               {"feedback_released_at": None, "reason": reason.strip()})
        session.feedback_released_at = None
        db.add(session)
    db.commit()
    db.refresh(grid)
    return grid


def queue_status(grid: ReviewGrid | None) -> QueueStatus:
    if grid is None:
        return QueueStatus.a_corriger
    return QueueStatus.signee if grid.status == GridStatus.signed else QueueStatus.en_cours


def all_signed(db: Session, session_id: str) -> bool:
    """Every juror assigned to the session has signed (so grids may be compared)."""
    jurors = set(db.exec(select(JurorAssignment.juror_id).where(JurorAssignment.session_id == session_id)))
    signed = {g.juror_id for g in grids_of(db, session_id) if g.status == GridStatus.signed}
    return bool(jurors) and jurors <= signed


def require_releasable(db: Session, session: RoleplaySession) -> None:
    """The jury's feedback is published only once every assigned juror has signed a grid (409)."""
    jurors = set(db.exec(select(JurorAssignment.juror_id).where(JurorAssignment.session_id == session.id)))
    signed = {g.juror_id for g in grids_of(db, session.id) if g.status == GridStatus.signed}
    if jurors and jurors <= signed:
        return
    count = f"({len(jurors & signed)} sur {len(jurors)})"
    if not jurors:
        message = "Impossible de publier : aucun juré n'est assigné à cette session, aucune grille n'est signée."
    elif not jurors & signed:
        message = f"Impossible de publier : aucune grille du jury n'est encore signée {count}."
    else:
        message = f"Impossible de publier : toutes les grilles du jury ne sont pas encore signées {count}."
    raise ApiError(409, "grids_not_signed", message,
                   extra={"signed": len(jurors & signed), "jurors": len(jurors)})


def release_feedback(db: Session, session: RoleplaySession, actor: User) -> RoleplaySession:
    """Publish the jury's feedback to the candidate, once, and record it in the audit trail.

    Refused (409) while the session is running or a grid of an assigned juror is not signed; a second
    call changes nothing."""
    if session.status != SessionStatus.ended:
        raise ApiError(409, "session_active", "La session n'est pas terminée.")
    if session.feedback_released_at is not None:
        return session
    require_releasable(db, session)
    released_at = utcnow()
    session.feedback_released_at = released_at
    db.add(session)
    # The trail is kept per grid: the release goes on the releasing juror's grid, else on the first one.
    grids = [g for g in grids_of(db, session.id) if g.status == GridStatus.signed]
    grid = next((g for g in grids if g.juror_id == actor.id), grids[0])
    _audit(db, grid, actor, "release", "retour", {"feedback_released_at": None},
           {"feedback_released_at": released_at.isoformat(), "grids": len(grids)})
    db.commit()
    db.refresh(session)
    return session


def audit_of(db: Session, session_id: str, grid_ids: set[int] | None = None) -> list[ReviewAuditPublic]:
    query = select(ReviewAudit).where(ReviewAudit.session_id == session_id).order_by(col(ReviewAudit.id))
    rows = [r for r in db.exec(query) if grid_ids is None or r.grid_id in grid_ids]
    names = _names(db, {r.actor_id for r in rows})
    return [ReviewAuditPublic(id=r.id or 0, at=r.at, actor_id=r.actor_id, actor_name=names.get(r.actor_id, "?"),
                              action=r.action, target=r.target, before=r.before, after=r.after) for r in rows]


def _names(db: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {u.id: (u.full_name or u.username) for u in db.exec(select(User).where(col(User.id).in_(ids)))
            if u.id is not None}


# --- what the juror reads --------------------------------------------------------------------------

def reliability_fr(bloc: int | None, criterion_id: str, rubric_version: str | None) -> str:
    """How far the automatic level of a criterion can be trusted, as measured against jurors on
    untouched transcripts (scoring/rubrics/reliability.json): « fiabilité mesurée : κ 0,72 sur 24
    transcriptions », or « fiabilité non mesurée » when nothing was published for this rubric version."""
    figures = criterion_reliability(bloc, criterion_id, rubric_version or None)
    if figures is None or figures.kappa_w is None or figures.n == 0:
        return "fiabilité non mesurée"
    return (f"fiabilité mesurée : κ {formatting.number(figures.kappa_w, 2)} sur "
            f"{formatting.count(figures.n, 'transcription')}")


def grid_view(db: Session, grid: ReviewGrid | None, session: RoleplaySession,
              juror_name: str = "") -> dict[str, Any]:
    """A grid as the API and the pages show it: automatic proposal, evidence, final level, comment."""
    items = {str(i["id"]): i for i in report_items(session)}
    # A started grid keeps the automatic levels it was opened with, even if the session is re-scored
    # later with another rubric version: the juror signed against those.
    if grid is not None:
        rows: list[tuple[str, str, int | None, int | None, str]] = [
            (c.criterion_id, c.label, c.auto_level, c.final_level, c.comment) for c in criteria_of(db, grid.id)]
    else:
        rows = [(cid, str(i.get("label") or cid), i.get("level") if isinstance(i.get("level"), int) else None,
                 i.get("level") if isinstance(i.get("level"), int) else None, "") for cid, i in items.items()]
    criteria = []
    rubric_version = (grid.rubric_version if grid else None) or str(
        ((session.report or {}).get("grid") or {}).get("rubric_version") or "")
    for criterion_id, label, auto, final, comment in rows:
        item = items.get(criterion_id, {})
        automatic = auto is not None
        criteria.append({
            "id": criterion_id, "label": label or criterion_id,
            "auto_level": auto,
            "auto_level_label": LEVEL_LABELS.get(auto, "") if auto is not None else "À évaluer par le jury",
            "final_level": final,
            "final_level_label": LEVEL_LABELS.get(final, "À fixer") if final is not None else "À fixer",
            "comment": comment, "overridden": final is not None and final != auto,
            "evidence": item.get("evidence") or [], "rationale": item.get("rationale") or "",
            "uncertain": bool(item.get("uncertain")) and automatic,
            "uncertainty_fr": str(item.get("uncertainty_fr") or "") if automatic else "",
            "capped_by": str(item.get("capped_by") or ""),
            "reliability_fr": reliability_fr(session.bloc, criterion_id, rubric_version) if automatic else "",
        })
    return {
        "id": grid.id if grid else None, "juror_id": grid.juror_id if grid else None, "juror_name": juror_name,
        "status": queue_status(grid).value, "status_label": QUEUE_LABELS[queue_status(grid)],
        "decision": grid.decision if grid else None,
        "decision_label": DECISION_LABELS.get(Decision(grid.decision)) if grid and grid.decision else None,
        "decision_comment": grid.decision_comment if grid else "",
        "signed_at": grid.signed_at if grid else None,
        "rubric_version": (grid.rubric_version if grid else None)
        or ((session.report or {}).get("grid") or {}).get("rubric_version") or "",
        "criteria": criteria,
    }


def session_agreement(grids: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per criterion: each signed grid's level and whether they agree (shown once all have signed)."""
    signed = [g for g in grids if g["status"] == QueueStatus.signee]
    if len(signed) < 2:
        return []
    rows = []
    for index, criterion in enumerate(signed[0]["criteria"]):
        levels = [g["criteria"][index]["final_level"] for g in signed if index < len(g["criteria"])]
        rows.append({"id": criterion["id"], "label": criterion["label"], "levels": levels,
                     "auto_level": criterion["auto_level"], "agree": len(set(levels)) == 1})
    decisions = [g["decision"] for g in signed]
    rows.append({"id": "decision", "label": "Décision finale", "levels": decisions, "auto_level": None,
                 "agree": len(set(decisions)) == 1})
    return rows


def timeline(db: Session, session_id: str) -> list[dict[str, Any]]:
    """The persona's hidden trust and tension after each persona turn that carries a state."""
    points = []
    for turn in db.exec(select(Turn).where(Turn.session_id == session_id).order_by(col(Turn.seq))):
        state = turn.state or {}
        trust, tension = state.get("trust"), state.get("tension")
        if isinstance(trust, int | float) or isinstance(tension, int | float):
            points.append({"seq": turn.seq, "trust": trust if isinstance(trust, int | float) else None,
                           "tension": tension if isinstance(tension, int | float) else None})
    return points


def negotiation_view(session: RoleplaySession) -> dict[str, Any] | None:
    """Bloc 4: offers of both sides against the persona's hidden thresholds — only once it is over."""
    if session.bloc != 4 or session.status != SessionStatus.ended:
        return None
    thresholds = (session.persona_snapshot or {}).get("negotiation") or {}
    state = (session.state or {}).get("negotiation") or {}
    if not thresholds and not state:
        return None
    return {
        "unit": thresholds.get("unit_label") or "€ HT",
        "thresholds": {key: thresholds.get(key) for key in ("candidate_list_price", "candidate_floor", "opening",
                                                            "target", "walk_away")},
        "persona_offers": list(state.get("persona_offers") or []),
        "candidate_offers": list(state.get("candidate_offers") or []),
        "final_price": state.get("final_price") or state.get("agreed_price"),
        "deal": state.get("deal"),
    }


def cohort_ids_of(db: Session, candidate_id: int) -> list[int]:
    return list(db.exec(select(CohortMember.cohort_id).where(CohortMember.user_id == candidate_id)))


def figures_with_median(db: Session, session: RoleplaySession) -> list[dict[str, Any]]:
    """The session's conversation figures next to the median of its cohort(s), same bloc."""
    cohorts = cohort_ids_of(db, session.candidate_id)
    peers: list[RoleplaySession] = []
    if cohorts:
        members = select(CohortMember.user_id).where(col(CohortMember.cohort_id).in_(cohorts))
        peers = [s for s in db.exec(select(RoleplaySession).where(
            col(RoleplaySession.candidate_id).in_(members), RoleplaySession.bloc == session.bloc,
            RoleplaySession.status == SessionStatus.ended, RoleplaySession.mode != SessionMode.trial))
            if s.report and not s.report.get("empty")]
    own = (session.report or {}).get("conversation") or {}
    rows = []
    for key, label, kind in FIGURES:
        values = [float(v) for s in peers
                  if isinstance(v := ((s.report or {}).get("conversation") or {}).get(key), int | float)]
        value = own.get(key)
        rows.append({"key": key, "label": label, "kind": kind,
                     "value": value if isinstance(value, int | float) else None,
                     "median": statistics.median(values) if values else None, "peers": len(values)})
    return rows


def _masked_grid(view: dict[str, Any], mask: Callable[[str], str] | None) -> dict[str, Any]:
    """In blind marking, the evidence quotes and rationales (taken from the transcript) hide the name."""
    if mask is not None:
        for criterion in view["criteria"]:
            criterion["evidence"] = mask_data(criterion["evidence"], mask)
            criterion["rationale"] = mask(criterion["rationale"])
    return view


def build_review(db: Session, session: RoleplaySession, viewer: User) -> dict[str, Any]:
    """Everything the review page shows; a juror sees the others' grids only once all have signed."""
    require_reviewable(session)
    blind = is_blind(db, viewer)
    mask = blind_masker(db, session, viewer)
    candidate = db.get(User, session.candidate_id)
    grids = grids_of(db, session.id)
    names = _names(db, {g.juror_id for g in grids})
    own = next((g for g in grids if g.juror_id == viewer.id), None)
    may_compare = viewer.role != "juror" or all_signed(db, session.id)
    views = [_masked_grid(grid_view(db, g, session, names.get(g.juror_id, "")), mask) for g in grids if may_compare]
    cohorts = cohort_ids_of(db, session.candidate_id)
    cohort_names = [c.name for c in db.exec(select(Cohort).where(col(Cohort.id).in_(cohorts)))] if cohorts else []
    jurors = list(db.exec(select(JurorAssignment.juror_id).where(JurorAssignment.session_id == session.id)))
    return {
        "session": {"id": session.id, "persona_title": session.persona_title, "bloc": session.bloc,
                    "mode": session.mode, "outcome": session.outcome, "ended_at": session.ended_at,
                    "candidate": candidate_label(session, candidate, blind), "cohorts": cohort_names,
                    "feedback_released_at": session.feedback_released_at},
        "blind": blind,
        "grid": _masked_grid(grid_view(db, own, session, names.get(viewer.id or 0, "")), mask)
        if viewer.role == "juror" else None,
        "remaining": remaining(db, own, session) if viewer.role == "juror" and queue_status(own)
        != QueueStatus.signee else [],
        "jurors": len(jurors),
        "signed": sum(1 for g in grids if g.status == GridStatus.signed),
        "other_grids": [v for v in views if v["juror_id"] != viewer.id],
        "agreement": session_agreement(views) if may_compare else [],
        "figures": figures_with_median(db, session),
        "timeline": timeline(db, session.id),
        "negotiation": negotiation_view(session),
        "negotiation_record": (session.report or {}).get("negotiation_record")
        if session.status == SessionStatus.ended else None,
    }


def queue(db: Session, juror: User, cohort_id: int | None = None, bloc: int | None = None,
          status: QueueStatus | None = None) -> dict[str, Any]:
    """The juror's assigned, ended sessions with what is left to do; filters by cohort, bloc, status."""
    blind = is_blind(db, juror)
    assigned = select(JurorAssignment.session_id).where(JurorAssignment.juror_id == juror.id)
    sessions = list(db.exec(select(RoleplaySession).where(col(RoleplaySession.id).in_(assigned))
                            .order_by(col(RoleplaySession.ended_at))))
    counts = {s.value: 0 for s in QueueStatus}
    items = []
    cohorts_seen: dict[int, str] = {}
    for session in sessions:
        if session.status != SessionStatus.ended or not report_items(session):
            continue
        cohorts = cohort_ids_of(db, session.candidate_id)
        for cohort in db.exec(select(Cohort).where(col(Cohort.id).in_(cohorts))) if cohorts else []:
            if cohort.id is not None:
                cohorts_seen[cohort.id] = cohort.name
        grid = grid_of(db, session.id, juror.id)
        state = queue_status(grid)
        if (cohort_id is not None and cohort_id not in cohorts) or (bloc is not None and session.bloc != bloc):
            continue
        counts[state.value] += 1
        if status is not None and state != status:
            continue
        items.append({
            "session_id": session.id, "persona_title": session.persona_title, "bloc": session.bloc,
            "mode": session.mode, "ended_at": session.ended_at,
            "candidate": candidate_label(session, db.get(User, session.candidate_id), blind),
            "cohorts": [cohorts_seen[c] for c in cohorts if c in cohorts_seen],
            "status": state.value, "status_label": QUEUE_LABELS[state],
            "remaining": len(remaining(db, grid, session)) if state != QueueStatus.signee else 0,
        })
    return {"blind": blind, "counts": counts, "items": items,
            "cohorts": [{"id": k, "name": v} for k, v in sorted(cohorts_seen.items())]}


def released_feedback(db: Session, session: RoleplaySession) -> dict[str, Any]:
    """What the candidate may read once the feedback is released: signed grids only (final levels,
    comments, decision), jurors shown by rank rather than by name."""
    grids = []
    for rank, grid in enumerate((g for g in grids_of(db, session.id) if g.status == GridStatus.signed), start=1):
        view = grid_view(db, grid, session)
        grids.append({
            "juror": f"Juré·e {rank}", "decision": view["decision"], "decision_label": view["decision_label"],
            "decision_comment": view["decision_comment"], "signed_at": view["signed_at"],
            "criteria": [{"id": c["id"], "label": c["label"], "level": c["final_level"],
                          "level_label": c["final_level_label"], "comment": c["comment"]} for c in view["criteria"]],
        })
    return {"session_id": session.id, "released_at": session.feedback_released_at, "grids": grids}


# --- agreement across a cohort ---------------------------------------------------------------------

def cohort_agreement(db: Session, cohort_id: int) -> dict[str, Any]:
    """Juror–juror agreement (sessions with two signed grids) and juror–automatic agreement."""
    members = select(CohortMember.user_id).where(CohortMember.cohort_id == cohort_id)
    sessions = list(db.exec(select(RoleplaySession).where(col(RoleplaySession.candidate_id).in_(members),
                                                          RoleplaySession.mode != SessionMode.trial)))
    levels = list(LEVEL_LABELS)
    pairs_by_criterion: dict[str, list[tuple[int, int]]] = {}
    auto_by_criterion: dict[str, list[tuple[int, int]]] = {}
    labels: dict[str, str] = {}
    decisions: list[tuple[str, str]] = []
    disagreements: list[dict[str, Any]] = []
    double_marked = 0
    for session in sessions:
        signed = [g for g in grids_of(db, session.id) if g.status == GridStatus.signed]
        rows = {g.id: {c.criterion_id: c for c in criteria_of(db, g.id)} for g in signed}
        for grid in signed:
            for criterion in rows[grid.id].values():
                labels[criterion.criterion_id] = criterion.label
                if criterion.auto_level is not None and criterion.final_level is not None:
                    auto_by_criterion.setdefault(criterion.criterion_id, []).append(
                        (criterion.auto_level, criterion.final_level))
        if len(signed) < 2:
            continue
        double_marked += 1
        first, second = signed[0], signed[1]
        for criterion_id, a in rows[first.id].items():
            b = rows[second.id].get(criterion_id)
            if b is None or a.final_level is None or b.final_level is None:
                continue
            pairs_by_criterion.setdefault(criterion_id, []).append((a.final_level, b.final_level))
            if a.final_level != b.final_level:
                disagreements.append({"session_id": session.id, "persona_title": session.persona_title,
                                      "criterion_id": criterion_id, "label": a.label,
                                      "levels": [a.final_level, b.final_level]})
        if first.decision and second.decision:
            decisions.append((first.decision, second.decision))
            if first.decision != second.decision:
                disagreements.append({"session_id": session.id, "persona_title": session.persona_title,
                                      "criterion_id": "decision", "label": "Décision finale",
                                      "levels": [first.decision, second.decision]})

    def summary(pairs: list[tuple[int, int]]) -> dict[str, Any]:
        kappa = cohen_kappa(pairs, levels)
        weighted = cohen_kappa(pairs, levels, weights="quadratic")
        agreement = percent_agreement(pairs)
        return {"n": len(pairs), "agreement": agreement, "kappa": kappa, "weighted_kappa": weighted,
                "reading": interpret_kappa(kappa)}

    all_pairs = [p for pairs in pairs_by_criterion.values() for p in pairs]
    all_auto = [p for pairs in auto_by_criterion.values() for p in pairs]
    decision_kappa = cohen_kappa(decisions, [d.value for d in Decision]) if decisions else None
    return {
        "cohort_id": cohort_id,
        "double_marked_sessions": double_marked,
        "jurors": {"overall": summary(all_pairs),
                   "criteria": [{"id": k, "label": labels.get(k, k), **summary(v)}
                                for k, v in sorted(pairs_by_criterion.items())],
                   "decision": {"n": len(decisions), "agreement": percent_agreement(decisions),
                                "kappa": decision_kappa, "reading": interpret_kappa(decision_kappa)}},
        "automatic": {"overall": summary(all_auto),
                      "criteria": [{"id": k, "label": labels.get(k, k), **summary(v)}
                                   for k, v in sorted(auto_by_criterion.items())]},
        "disagreements": disagreements,
    }
