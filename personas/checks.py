"""Cross-field checks of a persona, each naming the exact field at fault (messages in French).

Pydantic checks each field alone; these rules relate fields (thresholds, references between
needs, objections and speakers, a line for every situation the engine may reach). They return all
issues, not just the first, so an author fixes a file in one pass.
"""

from __future__ import annotations

from collections import Counter
from string import Formatter

from personas.errors import Issue
from personas.schema import TEAM_SIZES, Persona
from personas.situations import SITUATIONS, required_situations


def check_persona(persona: Persona) -> list[Issue]:
    """All cross-field issues of ``persona`` (empty list when coherent)."""
    issues: list[Issue] = []
    issues += _check_bloc(persona)
    issues += _check_ids(persona)
    issues += _check_references(persona)
    issues += _check_negotiation(persona)
    issues += _check_lines(persona)
    issues += _check_end(persona)
    issues += _check_facts(persona)
    return issues


def _check_facts(p: Persona) -> list[Issue]:
    """Facts: unique ids, known needs and speakers, a refusal when the fact can be withheld."""
    issues: list[Issue] = []
    needs = {n.id for n in p.needs}
    speakers = {s.id for s in p.speakers}
    for dup in sorted(_duplicates([f.id for f in p.facts])):
        issues.append(Issue("facts", f"fait « {dup} » défini deux fois"))
    for i, fact in enumerate(p.facts):
        for j, ref in enumerate(fact.after_needs):
            if ref not in needs:
                issues.append(Issue(f"facts.{i}.after_needs.{j}", f"besoin « {ref} » inexistant"))
        if fact.speaker is not None and fact.speaker not in speakers:
            issues.append(Issue(f"facts.{i}.speaker", f"locuteur « {fact.speaker} » inexistant"))
        if (fact.min_trust > p.personality.initial_trust or fact.after_needs) and not fact.refusal:
            issues.append(Issue(f"facts.{i}.refusal", "obligatoire quand le fait peut être refusé (confiance "
                                "minimale ou besoins préalables) : dites pourquoi, dans le ton du personnage"))
    return issues


def _duplicates(ids: list[str]) -> set[str]:
    return {i for i, n in Counter(ids).items() if n > 1}


def _check_bloc(p: Persona) -> list[Issue]:
    issues: list[Issue] = []
    if p.bloc == 4 and p.negotiation is None:
        issues.append(Issue("negotiation", "obligatoire pour le bloc 4 (seuils de négociation de l'acheteur)"))
    if p.bloc == 5:
        if p.team is None:
            issues.append(Issue("team", "obligatoire pour le bloc 5 (le ou les membres de l'équipe reçus)"))
        elif len(p.team.members) not in TEAM_SIZES:
            found = len(p.team.members)
            issues.append(Issue("team.members", "le bloc 5 exige un membre (entretien individuel) ou deux "
                                f"(médiation) : {found or 'aucun'} trouvé{'s' if found > 1 else ''}"))
        elif len(p.speakers) != len(p.team.members):
            issues.append(Issue("speakers", "le bloc 5 exige un locuteur par membre de l'équipe "
                                f"({len(p.team.members)} membre(s), {len(p.speakers)} locuteur(s))"))
        if p.negotiation is not None:
            issues.append(Issue("negotiation", "sans objet pour le bloc 5 (médiation)"))
        if p.end_conditions.success_outcome != "agreement":
            issues.append(Issue("end_conditions.success_outcome", "doit valoir « agreement » pour le bloc 5"))
    else:
        if p.team is not None:
            issues.append(Issue("team", f"réservé au bloc 5 (ce personnage est du bloc {p.bloc})"))
        if len(p.speakers) != 1:
            issues.append(Issue("speakers", f"le bloc {p.bloc} exige un seul locuteur"))
        if p.end_conditions.success_outcome == "agreement":
            issues.append(Issue("end_conditions.success_outcome", "« agreement » est réservé au bloc 5"))
    if p.bloc == 4 and p.end_conditions.success_outcome != "deal":
        issues.append(Issue("end_conditions.success_outcome", "doit valoir « deal » pour le bloc 4"))
    return issues


def _check_ids(p: Persona) -> list[Issue]:
    issues: list[Issue] = []
    for field, ids in (
        ("speakers", [s.id for s in p.speakers]),
        ("needs", [n.id for n in p.needs]),
        ("objections", [o.id for o in p.objections]),
    ):
        for dup in sorted(_duplicates(ids)):
            issues.append(Issue(f"{field}.{ids.index(dup, ids.index(dup) + 1)}.id", f"identifiant « {dup} » en double"))
    return issues


def _check_references(p: Persona) -> list[Issue]:
    issues: list[Issue] = []
    speakers = {s.id for s in p.speakers}
    needs = {n.id: n for n in p.needs}
    for i, need in enumerate(p.needs):
        if need.speaker is not None and need.speaker not in speakers:
            issues.append(Issue(f"needs.{i}.speaker", f"locuteur « {need.speaker} » inconnu"))
    for i, obj in enumerate(p.objections):
        if obj.speaker is not None and obj.speaker not in speakers:
            issues.append(Issue(f"objections.{i}.speaker", f"locuteur « {obj.speaker} » inconnu"))
        for j, ref in enumerate(obj.requires_needs):
            if ref not in needs:
                issues.append(Issue(f"objections.{i}.requires_needs.{j}", f"besoin « {ref} » inexistant"))
        if obj.trigger == "keyword" and not obj.keywords:
            issues.append(Issue(f"objections.{i}.keywords", "obligatoire quand le déclencheur est « keyword »"))
    if p.team is not None:
        seen: list[str] = []
        for i, member in enumerate(p.team.members):
            if member.speaker not in speakers:
                issues.append(Issue(f"team.members.{i}.speaker", f"locuteur « {member.speaker} » inconnu"))
            if member.speaker in seen:
                issues.append(Issue(f"team.members.{i}.speaker", f"« {member.speaker} » est déjà un autre membre"))
            seen.append(member.speaker)
            for j, ref in enumerate(member.interests):
                if ref not in needs:
                    issues.append(Issue(f"team.members.{i}.interests.{j}", f"besoin « {ref} » inexistant"))
                elif needs[ref].speaker not in (None, member.speaker):
                    issues.append(
                        Issue(f"team.members.{i}.interests.{j}", f"le besoin « {ref} » appartient à un autre membre")
                    )
            if member.initial_tension >= p.personality.walkout_tension:
                issues.append(
                    Issue(
                        f"team.members.{i}.initial_tension", "doit être inférieure au seuil de départ (walkout_tension)"
                    )
                )
    if p.personality.initial_tension >= p.personality.walkout_tension:
        issues.append(Issue("personality.walkout_tension", "doit être supérieur à la tension initiale"))
    return issues


def _check_negotiation(p: Persona) -> list[Issue]:
    n = p.negotiation
    if n is None:
        return []
    issues: list[Issue] = []
    if n.walk_away <= n.opening:
        issues.append(Issue("negotiation.walk_away", "doit être supérieur à l'ouverture"))
    if not n.opening < n.target:
        issues.append(Issue("negotiation.target", "doit être supérieur à l'ouverture"))
    if not n.target < n.walk_away:
        issues.append(Issue("negotiation.target", "doit être inférieur au seuil de rupture (walk_away)"))
    if n.candidate_floor > n.walk_away:
        issues.append(
            Issue(
                "negotiation.candidate_floor",
                "doit être inférieur ou égal au seuil de rupture, sinon aucun accord n'est possible",
            )
        )
    if n.candidate_list_price <= n.target:
        issues.append(Issue("negotiation.candidate_list_price", "doit être supérieur à la cible de l'acheteur"))
    if n.candidate_floor > n.candidate_list_price:
        issues.append(Issue("negotiation.candidate_floor", "doit être inférieur ou égal au prix catalogue"))
    if sum(n.concession_pattern) >= 1.0:
        issues.append(
            Issue(
                "negotiation.concession_pattern",
                "la somme doit rester inférieure à 1 (jamais de contre-offre au seuil de rupture)",
            )
        )
    if len(n.concession_pattern) > n.patience_rounds:
        issues.append(
            Issue("negotiation.concession_pattern", "plus d'étapes que de tours de patience (patience_rounds)")
        )
    for dup in sorted(_duplicates([c.id for c in n.can_give])):
        issues.append(Issue("negotiation.can_give", f"identifiant « {dup} » en double"))
    return issues


def _placeholders(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in Formatter().parse(text) if name is not None}
    except ValueError:
        return {"{"}


def _check_lines(p: Persona) -> list[Issue]:
    issues: list[Issue] = []
    speakers = {s.id for s in p.speakers}
    for key, by_speaker in p.lines.items():
        situation = SITUATIONS.get(key)
        if situation is None:
            issues.append(Issue(f"lines.{key}", "situation inconnue (voir docs/personas.md)"))
            continue
        for speaker_id, variants in by_speaker.items():
            if speaker_id not in speakers:
                issues.append(Issue(f"lines.{key}.{speaker_id}", "locuteur inconnu"))
            if not variants:
                issues.append(Issue(f"lines.{key}.{speaker_id}", "au moins une variante est nécessaire"))
            for i, text in enumerate(variants):
                extra = _placeholders(text) - situation.placeholders
                if extra:
                    allowed = ", ".join("{" + a + "}" for a in sorted(situation.placeholders)) or "aucun"
                    issues.append(
                        Issue(
                            f"lines.{key}.{speaker_id}.{i}",
                            f"champ(s) {sorted(extra)} interdit(s) ici ; autorisés : {allowed}",
                        )
                    )
    members = len(p.team.members) if p.team is not None else 2
    if members < 2:
        for key in sorted(k for k, s in SITUATIONS.items() if s.pair_only and k in p.lines):
            issues.append(Issue(f"lines.{key}", "sans objet avec un seul membre (entretien individuel) : "
                                "personne ne coupe la parole ni ne voit le manager prendre parti"))
    for situation in required_situations(p.bloc, p.negotiation is not None, members):
        by_speaker = p.lines.get(situation.name, {})
        if not any(by_speaker.values()):
            issues.append(Issue(f"lines.{situation.name}", "situation obligatoire sans aucune réplique"))
        elif situation.every_speaker and p.bloc == 5:
            for speaker in p.speakers:
                if not by_speaker.get(speaker.id):
                    issues.append(
                        Issue(
                            f"lines.{situation.name}.{speaker.id}", "ce membre n'a aucune réplique pour cette situation"
                        )
                    )
    for i, speaker in enumerate(p.speakers):
        if not any(speaker.id in by_speaker for by_speaker in p.lines.values()):
            issues.append(Issue(f"speakers.{i}", f"« {speaker.id} » n'a aucune réplique"))
    return issues


def _check_end(p: Persona) -> list[Issue]:
    essential = sum(1 for n in p.needs if n.essential)
    if p.end_conditions.min_needs_revealed > essential:
        return [
            Issue(
                "end_conditions.min_needs_revealed",
                f"dépasse le nombre de besoins cachés essentiels ({essential})",
            )
        ]
    return []
