"""Where things live on disk, in one place, so the set-up, the launcher and the tests agree."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOT_DIR = ROOT / "bot"
VAR_DIR = ROOT / "var"
MODELS_DIR = VAR_DIR / "rasa-models"
MODEL_PATH = MODELS_DIR / "roleplay.tar.gz"
FINGERPRINT_PATH = MODELS_DIR / "fingerprint.txt"
APP_PYTHON = ROOT / ".venv" / "bin" / "python"
RASA_BIN = ROOT / ".venv-rasa" / "bin" / "rasa"
