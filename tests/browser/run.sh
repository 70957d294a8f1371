#!/usr/bin/env bash
# Browser test of the `rampart compare` HTML page: installs Debian's Chromium when missing (as
# root), installs playwright-core from the lock file, builds the binary and runs the test.
# Called by CI; run it from anywhere. With `--bench`, runs the browser bench instead (how fast
# a page of 1,000 jurisdictions becomes interactive; see docs/PERFORMANCE.md), on a release build;
# with `--screenshot`, writes the README's picture of the page (docs/images/compare.png).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "error: /usr/bin/chromium is missing; install it with: apt-get install -y chromium" >&2
    exit 1
  fi
fi

(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
if [ "${1:-}" = --bench ]; then
  cargo build --quiet --release --bin rampart
  cd tests/browser
  RAMPART_BIN="$PWD/../../target/release/rampart" node bench.mjs
elif [ "${1:-}" = --screenshot ]; then
  cargo build --quiet --bin rampart
  cd tests/browser
  node screenshot.mjs
else
  cargo build --quiet --bin rampart
  cd tests/browser
  node --test compare.test.mjs
fi
