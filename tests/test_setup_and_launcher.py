"""Set-up and launcher behaviour a newcomer meets: clear failures, training only when needed."""

from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from scripts import train_bot
from scripts.paths import ROOT
from scripts.stack import Ports, Stack, StackError, free_port


def test_a_taken_port_is_named_in_french(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("scripts.stack.MODEL_PATH", tmp_path / "model.tar.gz")
    (tmp_path / "model.tar.gz").write_bytes(b"x")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        stack = Stack(ports=Ports(app=port, rasa=free_port(), actions=free_port()), run_dir=tmp_path)
        with pytest.raises(StackError, match=rf"port\(s\) déjà utilisé\(s\) : {port}"):
            stack.check_prerequisites()


def test_missing_model_says_what_to_run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("scripts.stack.MODEL_PATH", tmp_path / "absent.tar.gz")
    with pytest.raises(StackError, match="make setup"):
        Stack(ports=Ports(app=free_port(), rasa=free_port(), actions=free_port())).check_prerequisites()


def test_fingerprint_follows_the_bot_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bot = tmp_path / "bot"
    shutil.copytree(ROOT / "bot", bot, ignore=shutil.ignore_patterns("actions", "__pycache__"))
    monkeypatch.setattr(train_bot, "BOT_DIR", bot)
    before = train_bot.fingerprint()
    assert train_bot.fingerprint() == before, "le même contenu donne la même empreinte"
    nlu_file = next((bot / "data").rglob("*.yml"))
    nlu_file.write_text(nlu_file.read_text() + "\n# changement\n")
    assert train_bot.fingerprint() != before


def test_model_is_current_only_with_a_matching_fingerprint(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(train_bot, "MODEL_PATH", tmp_path / "m.tar.gz")
    monkeypatch.setattr(train_bot, "FINGERPRINT_PATH", tmp_path / "fp.txt")
    assert not train_bot.model_is_current()
    (tmp_path / "m.tar.gz").write_bytes(b"model")
    (tmp_path / "fp.txt").write_text("autre\n")
    assert not train_bot.model_is_current()
    (tmp_path / "fp.txt").write_text(train_bot.fingerprint() + "\n")
    assert train_bot.model_is_current()


def test_no_python310_is_a_clear_failure() -> None:
    result = subprocess.run(
        [shutil.which("bash") or "/bin/bash", str(ROOT / "scripts" / "find_python.sh"), "3.10"],
        env={"PATH": "/nonexistent", "PYENV_ROOT": "/nonexistent", "HOME": "/nonexistent"},
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 1 and result.stdout == ""
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    assert "Python $version introuvable" in setup


def test_python310_is_found_when_present() -> None:
    result = subprocess.run(["bash", str(ROOT / "scripts" / "find_python.sh"), "3.10"], capture_output=True,
                            text=True, check=False)
    if result.returncode != 0:
        pytest.skip("pas de Python 3.10 sur cette machine")
    found = result.stdout.strip()
    version = subprocess.run([found, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True,
                             text=True, check=True).stdout.strip()
    assert version == "(3, 10)"
