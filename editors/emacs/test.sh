#!/usr/bin/env bash
# Tests rampart-mode with ERT: highlighting, indentation (indenting the norm library must leave
# `rampart fmt`'s layout as it is), comments and the Eglot entry. Installs Debian's emacs-nox
# when Emacs is missing (as root). Called by CI; run it from anywhere.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v emacs >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq emacs-nox >/dev/null
  else
    echo "error: emacs is missing; install it with: apt-get install -y emacs-nox" >&2
    exit 1
  fi
fi

emacs --version | head -1
emacs -Q --batch -L . -l rampart-mode-tests.el -f ert-run-tests-batch-and-exit
