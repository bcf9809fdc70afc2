#!/usr/bin/env bash
# Idempotent set-up for both environments and the Rasa model.
# Why two environments: rasa==3.6.21 needs Python 3.10 and pydantic 1, the app needs Python 3.11
# and pydantic 2; they cannot share one interpreter. Each step is skipped when its inputs did not
# change (a stamp holds the hash of the lock file it installed).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\033[31mERREUR : %s\033[0m\n' "$*" >&2; exit 1; }
elapsed() { echo "    ($(( $(date +%s) - $1 )) s)"; }

hash_of() { sha256sum "$@" | sha256sum | cut -c1-16; }

make_venv() {  # $1 = folder, $2 = python minor version, $3 = lock file, $4 = human name
  local dir="$1" version="$2" lock="$3" name="$4" py stamp want started
  want="$(hash_of "$lock" pyproject.toml)"
  stamp="$dir/.installed"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$dir/bin/python" ]; then
    return 0
  fi
  py="$(bash scripts/find_python.sh "$version")" || fail "Python $version introuvable ($name). Installez-le (par exemple 'pyenv install $version') ou indiquez son chemin dans PYTHON${version/./}=/chemin/vers/python$version."
  started=$(date +%s)
  step "Environnement $name : $dir (Python $version : $py)"
  [ -x "$dir/bin/python" ] || "$py" -m venv "$dir" || fail "impossible de créer $dir"
  "$dir/bin/python" -m pip install --quiet --upgrade pip wheel || fail "mise à jour de pip dans $dir"
  step "Installation des paquets de $lock (peut prendre plusieurs minutes la première fois)"
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check -r "$lock" \
    || fail "l'installation des paquets de $lock a échoué (voir ci-dessus)"
  echo "$want" > "$stamp"
  elapsed "$started"
}

make_venv .venv 3.11 requirements/app.lock "application"
make_venv .venv-rasa 3.10 requirements/rasa.lock "Rasa"
.venv/bin/python -m scripts.train_bot
