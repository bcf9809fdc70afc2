"""What the turn reading needs to know about a persona: its speakers and the topics a turn may be about.

One function for the action server (live reading) and the API (reading at scoring time), so that a
turn read again later is read with the same speakers and topics.
"""

from __future__ import annotations

from typing import Any

from personas.schema import Persona


def speaker_refs(persona: Persona) -> list[dict[str, str]]:
    """The persona's speakers as the candidate may address them (id and display name)."""
    return [{"id": s.id, "name": s.name} for s in persona.speakers]


def topic_refs(persona: Persona) -> list[dict[str, Any]]:
    """Needs, objections, grievances and company facts as topics: id, description and keywords."""
    topics: list[dict[str, Any]] = []
    for need in persona.needs:
        topics.append({"id": f"need:{need.id}", "text": need.label, "keywords": list(need.keywords)})
    for objection in persona.objections:
        topics.append({"id": f"objection:{objection.id}", "text": objection.lines[0],
                       "keywords": list(objection.keywords)})
    if persona.team is not None:
        for member in persona.team.members:
            for grievance in member.grievances:
                topics.append({"id": f"grievance:{member.speaker}:{grievance.id}", "text": grievance.lines[0],
                               "keywords": list(grievance.keywords)})
    facts = {f.id: f for f in persona.facts}
    for key, value in persona.company.figures.items():
        fact = facts.pop(key, None)
        topics.append({"id": f"fact:{key}", "text": f"{key.replace('_', ' ')} {value}",
                       "keywords": [key.replace("_", " "), *(fact.keywords if fact else [])]})
    for fact in facts.values():  # facts of their own (history, current supplier…) and company fields
        topics.append({"id": f"fact:{fact.id}", "text": persona.fact_value(fact) or fact.answer[0],
                       "keywords": list(fact.keywords)})
    return topics
