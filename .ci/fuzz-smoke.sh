#!/usr/bin/env bash
# Runs every fuzz target briefly on its seed corpus (fuzz/corpus/<target>/seed-*), so a change
# that makes a target crash on known inputs, or stop building, fails CI. A few minutes in total.
# Long runs and their figures: docs/RELIABILITY.md.
set -euo pipefail

CARGO_FUZZ_VERSION=0.13.2
RUNS=${RUNS:-20000}
cd "$(dirname "$0")/../fuzz"

if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

# Stable toolchain: no sanitizer (`-s none`); libFuzzer's coverage instrumentation only.
cargo fuzz build -s none

# lsp starts a server per input and eval evaluates up to three large documents twice, so they
# get fewer runs; every target is also capped at a minute, to stay within a few minutes in all.
for target in policy policy_roundtrip config eval compare lsp; do
  runs=$RUNS
  case $target in
    lsp | eval) runs=$((RUNS / 10)) ;; # capped by -max_total_time below
  esac
  # Seeds only, in a scratch copy: the committed corpus does not grow.
  scratch=$(mktemp -d)
  cp corpus/"$target"/seed-* "$scratch"/
  echo "== $target: $runs runs"
  cargo fuzz run "$target" -s none -- \
    -dict=rampart.dict -runs="$runs" -rss_limit_mb=2048 -timeout=20 -max_total_time=60 \
    "$scratch"
  rm -rf "$scratch"
done
