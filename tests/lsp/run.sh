#!/bin/sh
# End-to-end tests of `rampart lsp` over stdio with a real LSP client (pytest-lsp).
# Creates a virtual environment in target/lsp-venv, installs the pinned requirements, builds the
# binary and runs pytest. Extra arguments go to pytest (e.g. `-k hover -v`).
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$repo/target}"
venv="$repo/target/lsp-venv"

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"

(cd "$repo" && cargo build --quiet --bin rampart)

cd "$here"
export PYTHONDONTWRITEBYTECODE=1
RAMPART_BIN="$target/debug/rampart" exec "$venv/bin/python" -m pytest -p no:cacheprovider "$@"
