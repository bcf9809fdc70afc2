"""``python -m personas check|lint`` through a real subprocess, as an author would run it."""

import copy
import subprocess
import sys
from pathlib import Path

from personas.loader import load_library
from tests.personas.persona_helpers import first_of_bloc, raw, write

ROOT = Path(__file__).resolve().parents[2]


def cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "personas", *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_check_default_library():
    proc = cli("check")
    assert proc.returncode == 0, proc.stderr
    rows = [line.split("\t") for line in proc.stdout.splitlines()]
    library = load_library()
    assert sorted(r[0] for r in rows) == sorted(library)
    for pid, bloc, role, version in rows:
        assert (int(bloc), role, version) == (library[pid].bloc, library[pid].role, library[pid].version)
    assert proc.stderr == ""


def test_check_reports_invalid_file_and_fails(tmp_path):
    data = copy.deepcopy(raw(first_of_bloc(4)))
    data["negotiation"]["walk_away"] = 1000
    bad = write(tmp_path, data, "cassé.yaml")
    good = write(tmp_path, raw(first_of_bloc(2)), "bon.yaml")
    proc = cli("check", tmp_path)
    assert proc.returncode != 0
    assert f"{bad}: negotiation.walk_away: doit être supérieur à l'ouverture" in proc.stderr.splitlines()
    assert proc.stdout.startswith(raw(first_of_bloc(2))["id"] + "\t2\t")
    proc_single = cli("check", good)
    assert proc_single.returncode == 0


def test_lint_library_is_clean_of_behaviour_warnings():
    proc = cli("lint", "--strict", "personas/library")  # strict: any warning (e.g. < 3 variants) fails
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "candidat fort" not in proc.stdout
    assert "candidat faible" not in proc.stdout


def test_lint_warns_when_the_weak_candidate_succeeds(tmp_path):
    data = copy.deepcopy(raw(first_of_bloc(2)))
    data["end_conditions"].update(min_needs_revealed=0, require_summary=False, require_objections_resolved=False)
    path = write(tmp_path, data)
    proc = cli("lint", path)
    assert proc.returncode == 0
    assert "le candidat faible réussit" in proc.stdout
    assert cli("lint", "--strict", path).returncode == 2


def test_lint_warns_about_unreachable_need_and_single_variant(tmp_path):
    data = copy.deepcopy(raw(first_of_bloc(2)))
    data["needs"][0]["min_trust"] = 0.99
    data["lines"]["clarify"] = ["Pardon ?"]
    data["lines"]["guarded"] = ["Plus tard.", "On verra."]
    proc = cli("lint", write(tmp_path, data))
    assert "needs.0.min_trust: seuil de confiance pratiquement inatteignable" in proc.stdout
    assert "lines.clarify: une seule variante" in proc.stdout
    assert "lines.guarded: 2 variantes seulement, elles seront répétées (il en faut au moins 3)" in proc.stdout


def test_lint_invalid_file_fails(tmp_path):
    data = copy.deepcopy(raw(first_of_bloc(2)))
    del data["brief"]
    proc = cli("lint", write(tmp_path, data))
    assert proc.returncode == 1
    assert "brief: champ obligatoire manquant" in proc.stderr


def test_check_missing_file_and_duplicate_ids(tmp_path):
    write(tmp_path, raw(first_of_bloc(2)), "a.yaml")
    dup = write(tmp_path, raw(first_of_bloc(2)), "b.yaml")
    proc = cli("check", tmp_path, tmp_path / "absent.yaml")
    assert proc.returncode == 1
    errors = proc.stderr.splitlines()
    assert f"{tmp_path / 'absent.yaml'}: (fichier): fichier introuvable" in errors
    assert any(e.startswith(f"{dup}: id: identifiant") for e in errors)
    assert len(proc.stdout.splitlines()) == 1
