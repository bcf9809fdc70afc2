#!/usr/bin/env bash
# Print the path of a Python interpreter of the wanted minor version (e.g. 3.10), or exit 1.
# Looks at $PYTHON3xx, pythonX.Y and python3 on the PATH, then pyenv's versions folder.
set -uo pipefail
want="${1:?usage: find_python.sh 3.10}"
override_var="PYTHON${want/./}"
for candidate in "${!override_var:-}" "python$want" python3; do
  [ -n "$candidate" ] || continue
  if command -v "$candidate" >/dev/null 2>&1 && \
     [ "$("$candidate" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$want" ]; then
    command -v "$candidate"; exit 0
  fi
done
root="${PYENV_ROOT:-$HOME/.pyenv}"
for candidate in "$root"/versions/"$want".*/bin/python"$want"; do
  [ -x "$candidate" ] && { echo "$candidate"; exit 0; }
done
exit 1
