"""Train the Rasa model only when the bot's data or config changed.

Rasa's own fingerprinting needs the old model in the output folder and still loads TensorFlow to
decide; hashing the inputs here is instant, so a second `make run` starts in seconds.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

from scripts.paths import BOT_DIR, FINGERPRINT_PATH, MODEL_PATH, MODELS_DIR, RASA_BIN


def bot_inputs() -> list[Path]:
    """Files whose content decides the trained model."""
    files = [BOT_DIR / "config.yml", BOT_DIR / "domain.yml"]
    files += sorted(p for p in (BOT_DIR / "data").rglob("*.yml") if p.is_file())
    return files


def fingerprint() -> str:
    """Hash of the relative paths and contents of the bot's training inputs."""
    digest = hashlib.sha256()
    for path in bot_inputs():
        digest.update(str(path.relative_to(BOT_DIR)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def model_is_current() -> bool:
    """True when the trained model exists and was trained from the current inputs."""
    return (
        MODEL_PATH.exists()
        and FINGERPRINT_PATH.exists()
        and FINGERPRINT_PATH.read_text().strip() == fingerprint()
    )


def train() -> float:
    """Run `rasa train` into the git-ignored models folder; return the seconds it took."""
    missing = [p for p in bot_inputs() if not p.exists()]
    if missing:
        raise SystemExit(f"ERREUR : fichiers du bot manquants : {', '.join(map(str, missing))}")
    if not RASA_BIN.exists():
        raise SystemExit("ERREUR : Rasa n'est pas installé dans .venv-rasa (lancez `make setup`).")
    MODELS_DIR.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    command = [
        str(RASA_BIN), "train",
        "--domain", "domain.yml", "--data", "data", "--config", "config.yml",
        "--out", str(MODELS_DIR), "--fixed-model-name", MODEL_PATH.name.removesuffix(".tar.gz"),
        "--force", "--quiet",
    ]
    quiet = {**os.environ, "PYTHONWARNINGS": "ignore", "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(command, cwd=BOT_DIR, env=quiet, check=False)
    if result.returncode != 0 or not MODEL_PATH.exists():
        raise SystemExit(f"ERREUR : l'entraînement du modèle Rasa a échoué (code {result.returncode}).")
    FINGERPRINT_PATH.write_text(fingerprint() + "\n")
    return time.monotonic() - started


def main() -> int:
    """Train if needed and say what happened."""
    if model_is_current():
        print(f"==> Modèle Rasa à jour ({MODEL_PATH.name}), pas de réentraînement")
        return 0
    print("==> Entraînement du modèle Rasa (données ou configuration modifiées)", flush=True)
    seconds = train()
    print(f"    modèle entraîné en {seconds:.1f} s -> {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
