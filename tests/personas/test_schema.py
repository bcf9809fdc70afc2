"""Schema and loader: the library is valid; broken copies fail naming the exact field (in French)."""

import copy
from collections import Counter

import pytest

from personas.errors import PersonaError
from personas.loader import load_library, load_persona_file, parse_persona
from personas.schema import Persona
from tests.personas.persona_helpers import LIBRARY_FILES, raw, write


@pytest.mark.parametrize("path", LIBRARY_FILES, ids=lambda p: p.stem)
def test_library_persona_is_valid(path):
    persona = load_persona_file(path)
    assert persona.id == path.stem
    assert persona.language == "fr"
    assert persona.brief.objectives and persona.brief.assessed
    assert 15 <= persona.brief.duration_minutes <= 40


MIN_PER_BLOC = 4  # twelve personas: two Bloc 2 meetings, two negotiations, two mediations, one coaching…


def test_library_has_several_distinct_personas_per_bloc():
    library = load_library()
    per_bloc = Counter(p.bloc for p in library.values())
    assert set(per_bloc) == {2, 4, 5}
    assert min(per_bloc.values()) >= MIN_PER_BLOC, per_bloc
    assert len({p.personality.communication_style for p in library.values()}) == len(library)


def test_dump_round_trip_is_what_the_api_pins():
    for persona in load_library().values():
        dumped = persona.model_dump(mode="json")
        assert parse_persona(dumped) == persona


def _broken(tmp_path, persona_id, mutate):
    data = copy.deepcopy(raw(persona_id))
    mutate(data)
    path = write(tmp_path, data)
    with pytest.raises(PersonaError) as info:
        load_persona_file(path)
    return str(path), str(info.value), info.value


def _set(path: str, value):
    def mutate(data):
        node = data
        keys = path.split(".")
        for key in keys[:-1]:
            node = node[int(key)] if isinstance(node, list) else node[key]
        last = keys[-1]
        if value is _DELETE:
            del node[last]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return mutate


_DELETE = object()
B2, B4, B5 = "b2-transport-frigorifique", "b4-acheteur-aeronautique", "b5-conflit-portefeuille"


@pytest.mark.parametrize(
    ("persona_id", "field", "value", "expected"),
    [
        (B4, "negotiation.walk_away", 1000, "negotiation.walk_away: doit être supérieur à l'ouverture"),
        (B4, "negotiation", _DELETE, "negotiation: obligatoire pour le bloc 4"),
        (B4, "negotiation.concession_pattern", [0.5, 0.3, 0.3], "negotiation.concession_pattern: la somme"),
        (B4, "negotiation.candidate_floor", 10_000_000, "negotiation.candidate_floor: doit être inférieur ou égal"),
        (B2, "needs.0.min_trust", 2, "needs.0.min_trust: doit être inférieur ou égal à 1"),
        (B2, "needs.0.topics", ["demander_le_prix"], "needs.0.topics.0: valeur non autorisée"),
        (B2, "version", _DELETE, "version: champ obligatoire manquant"),
        (B2, "couleur", "bleu", "couleur: champ inconnu"),
        (B2, "bloc", 3, "bloc: valeur non autorisée"),
        (B2, "brief.duration_minutes", "vingt", "brief.duration_minutes: doit être un nombre entier"),
        (
            B2,
            "objections.1.requires_needs",
            ["inexistant"],
            "objections.1.requires_needs.0: besoin « inexistant » inexistant",
        ),
        (B2, "lines.greeting", _DELETE, "lines.greeting: situation obligatoire sans aucune réplique"),
        (B2, "lines.bavardage", ["Bonjour"], "lines.bavardage: situation inconnue"),
        (B2, "lines.greeting", {"bob": ["Salut"]}, "lines.greeting.bob: locuteur inconnu"),
        (B2, "lines.goodbye", ["Au revoir {prix}"], "lines.goodbye."),
        (B2, "end_conditions.min_needs_revealed", 12, "end_conditions.min_needs_revealed: dépasse"),
        (
            B2,
            "end_conditions.success_outcome",
            "agreement",
            "end_conditions.success_outcome: « agreement » est réservé",
        ),
        (B5, "team.members", None, "team.members: "),
        (
            B5,
            "lines.interrupt",
            {"karim": ["Attends, {autre} !"]},
            "lines.interrupt.julie: ce membre n'a aucune réplique",
        ),
        (B5, "team.members.0.interests", ["julie-respect"], "team.members.0.interests.0: le besoin « julie-respect »"),
        (B5, "negotiation", {"x": 1}, "negotiation."),
    ],
)
def test_broken_copy_names_the_field(tmp_path, persona_id, field, value, expected):
    file, message, error = _broken(tmp_path, persona_id, _set(field, value))
    assert message.startswith(f"{file}: "), message
    assert any(line.startswith(f"{file}: {expected}") for line in error.lines()), error.lines()


@pytest.mark.parametrize(("count", "found"), [(0, "aucun trouvé"), (3, "3 trouvés")])
def test_bloc5_team_has_one_or_two_members(tmp_path, count, found):
    def resize(data):
        members = data["team"]["members"]
        data["team"]["members"] = [*members, copy.deepcopy(members[0])][:count]

    _, _, error = _broken(tmp_path, B5, resize)
    expected = f"team.members: le bloc 5 exige un membre (entretien individuel) ou deux (médiation) : {found}"
    assert any(expected in line for line in error.lines()), error.lines()


def test_bloc5_one_member_needs_one_speaker(tmp_path):
    """A mediation cut down to one member keeps its second speaker: the file says what is wrong."""

    def one_member(data):
        data["team"]["members"] = data["team"]["members"][:1]

    _, _, error = _broken(tmp_path, B5, one_member)
    lines = error.lines()
    assert any("speakers: le bloc 5 exige un locuteur par membre de l'équipe (1 membre(s), 2 locuteur(s))" in line
               for line in lines), lines
    assert not any("team.members:" in line for line in lines), lines


def test_yaml_syntax_error_is_reported(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("id: x\nlines:\n  - a: b: c\n", encoding="utf-8")
    with pytest.raises(PersonaError) as info:
        load_persona_file(path)
    assert str(info.value).startswith(f"{path}: (yaml): syntaxe YAML invalide ligne")


def test_not_a_mapping(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(PersonaError, match=r"\(racine\): le fichier doit contenir un objet YAML"):
        load_persona_file(path)


def test_load_library_names_the_first_invalid_file(tmp_path):
    good = raw(B2)
    write(tmp_path, good, "a.yaml")
    bad = copy.deepcopy(good)
    bad["id"] = "autre"
    bad["personality"]["initial_trust"] = -1
    write(tmp_path, bad, "b.yaml")
    with pytest.raises(PersonaError) as info:
        load_library(tmp_path)
    assert str(info.value).startswith(f"{tmp_path / 'b.yaml'}: personality.initial_trust:")


def test_duplicate_ids_in_library(tmp_path):
    write(tmp_path, raw(B2), "a.yaml")
    write(tmp_path, raw(B2), "b.yaml")
    with pytest.raises(PersonaError, match=r"id: identifiant .* déjà utilisé"):
        load_library(tmp_path)


def test_numbers_in_keywords_and_version_are_read_as_text(tmp_path):
    data = raw(B2)
    data["version"] = 2.1
    data["needs"][0]["keywords"].append(38000)
    persona = load_persona_file(write(tmp_path, data))
    assert persona.version == "2.1"
    assert "38000" in persona.needs[0].keywords


def test_line_shorthand_belongs_to_first_speaker():
    persona = load_library()[B2]
    assert set(persona.lines["greeting"]) == {persona.speakers[0].id}
    assert isinstance(persona, Persona)


def test_the_optional_restatement_lines_documented_are_accepted(tmp_path):
    """A trainer may write `reformulation_correct` (with the right fact) and `reformulation_repeated`."""
    data = copy.deepcopy(raw("b2-transport-frigorifique"))
    data["lines"]["reformulation_correct"] = ["Pas tout à fait : {correction}.", "Je rectifie : {correction}.",
                                             "Non, je vous reprends : {correction}."]
    data["lines"]["reformulation_repeated"] = ["Vous me l'avez déjà dit.", "Oui, on l'a vu.", "Et donc ?"]
    persona = load_persona_file(write(tmp_path, data))
    assert "reformulation_correct" in persona.lines and "reformulation_repeated" in persona.lines
    data["lines"]["reformulation_correct"] = ["Pas tout à fait : {prix}."]
    with pytest.raises(PersonaError):
        load_persona_file(write(tmp_path, data))
