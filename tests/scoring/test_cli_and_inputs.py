"""CLI via subprocess, importers, rubric validation, and bad input (exit code 2, no traceback)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.errors import ScoringInputError
from scoring.report import score_transcript
from scoring.rubric import load_rubric, parse_rubric
from scoring.transcript import load_transcript, parse_csv, parse_text
from tests.scoring import samples as s

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "scoring", *args], cwd=ROOT, input=stdin, capture_output=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def transcript_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tr") / "strong.json"
    path.write_text(s.make(2, s.BLOC2_STRONG).model_dump_json(), encoding="utf-8")
    return path


def test_cli_annotate_contract(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "lang": "fr", "text": "Parlez-moi de vos clients", "context": []},
        {
            "id": "b",
            "lang": "en",
            "text": "So you feel stuck?",
            "context": [{"speaker": "other", "text": "I feel stuck in this job."}],
        },
        {"id": 3, "lang": "fr", "text": "Je vous envoie le contrat.", "context": []},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    proc = run("annotate", str(path))
    assert proc.returncode == 0, proc.stderr.decode()
    out = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert [o["id"] for o in out] == ["a", "b", 3]
    for o in out:
        assert {"id", "is_question", "question_type", "is_reformulation", "is_summary", "assertiveness"} <= set(o)
        assert o["question_type"] in ("open", "closed", None)
        assert o["assertiveness"] in ("assertive", "aggressive", "passive", "neutral")
    assert out[0]["is_question"] and out[0]["question_type"] == "open"
    assert out[1]["is_reformulation"]


def test_cli_annotate_reads_content(tmp_path: Path) -> None:
    """The reading contract's additions: amounts with owners, subtype, addressee, accuracy."""
    speakers = [{"id": "karim", "name": "Karim Benali"}, {"id": "julie", "name": "Julie Moreau"}]
    rows = [
        {"id": 1, "text": "Vous êtes à 150 000 €, je peux faire 172 000 € si vous signez deux ans.",
         "context": [{"speaker": "other", "text": "Nous sommes à 150 000 €, pas plus."}]},
        {"id": 2, "text": "Julie, qu'est-ce qui t'a manqué ce jour-là ?", "speakers": speakers,
         "context": [{"speaker": "other", "text": "Moi je n'ai rien à dire.", "speaker_id": "karim"}]},
        {"id": 3, "text": "Si je comprends bien, vous avez 40 camions.",
         "context": [{"speaker": "other", "text": "Nous avons 85 camions frigorifiques."}]},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    proc = run("annotate", str(path))
    assert proc.returncode == 0, proc.stderr.decode()
    out = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert [(a["value"], a["role"]) for a in out[0]["amounts"]] == [(150000, "partner_figure"),
                                                                    (172000, "own_offer")]
    assert out[1]["addressee"] == ["julie"] and out[1]["question_subtype"] == "ouverte"
    assert out[2]["reformulation_accuracy"] == "inaccurate"
    assert any("40 camions" in m for m in out[2]["reformulation_mismatches"])


@pytest.mark.parametrize("fmt", ["json", "md", "html"])
def test_cli_score_formats(transcript_file: Path, fmt: str) -> None:
    proc = run("score", str(transcript_file), "--format", fmt)
    assert proc.returncode == 0, proc.stderr.decode()
    text = proc.stdout.decode()
    if fmt == "json":
        assert json.loads(text)["conversation"]["questions"] >= 3
    else:
        assert "Grille d'évaluation" in text


def test_text_and_csv_importers(tmp_path: Path) -> None:
    txt = "# bloc: 2\nVendeur : Bonjour, comment allez-vous ?\nClient : Bien, merci.\nsuite de la phrase\n"
    t = parse_text(txt)
    assert t.bloc == 2 and [x.speaker_role for x in t.turns] == ["candidate", "persona"]
    assert t.turns[1].text.endswith("suite de la phrase")
    csv_text = "speaker;text\nAlice;Quels sont vos besoins ?\nBob;Un outil simple.\n"
    c = parse_csv(csv_text, candidate="Alice")
    assert [x.speaker_role for x in c.turns] == ["candidate", "persona"]
    path = tmp_path / "conv.csv"
    path.write_text("nom,texte,role\nBob,Bonjour,persona\nAlice,Que cherchez-vous ?,candidate\n", encoding="utf-8")
    loaded = load_transcript(path)
    assert [x.speaker_role for x in loaded.turns] == ["persona", "candidate"]


BAD_INPUTS = {
    "empty.json": b'{"language": "fr", "turns": []}',
    "lang.json": b'{"language": "de", "turns": [{"id": "1", "speaker_role": "candidate", "text": "Hallo"}]}',
    "nocand.json": b'{"language": "fr", "turns": [{"id": "1", "speaker_role": "persona", "text": "Bonjour"}]}',
    "latin1.txt": "Candidat : Ça coûte trop cher, désolé".encode("latin-1"),
    "huge.txt": b"Candidat : " + b"mot " * 300_000,
    "broken.json": b'{"language": "fr", "turns": [',
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_cli_bad_input_exit_2(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(BAD_INPUTS[name])
    proc = run("score", str(path))
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "Traceback" not in err
    assert "Erreur" in err and "Error" in err


def test_cli_annotate_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": 1, "lang": "xx", "text": "hola"}\n', encoding="utf-8")
    proc = run("annotate", str(path))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr.decode()
    path.write_text("", encoding="utf-8")
    assert run("annotate", str(path)).returncode == 2
    assert run("annotate", str(tmp_path / "missing.jsonl")).returncode == 2


def test_api_errors_are_typed() -> None:
    with pytest.raises(ScoringInputError) as exc:
        score_transcript(s.make(2, [("P", "Bonjour")]))
    assert "candidat" in exc.value.message_fr.lower()


def test_rubrics_load_and_validate() -> None:
    for bloc in (2, 4, 5):
        rubric = load_rubric(bloc)
        assert rubric.bloc == bloc and rubric.version and rubric.criteria
    data = load_rubric(2).model_dump()
    data["criteria"][0]["thresholds"] = [0.9, 0.1, 0.5]
    with pytest.raises(ScoringInputError):
        parse_rubric(data)
    data = load_rubric(2).model_dump()
    data["criteria"][0]["evaluator"] = "magic"
    with pytest.raises(ScoringInputError):
        parse_rubric(data)


def test_eval_halves_split_by_transcript() -> None:
    from scoring.eval import halves

    rows = [{"id": f"corpus-{t}-{u}"} for t in (3, 10, 2) for u in (0, 2)]
    # transcripts sorted numerically (2, 3, 10) alternate A, B, A; turns of a transcript stay together
    assert halves(rows) == [1, 1, 0, 0, 0, 0]
