#!/usr/bin/env bash
# Runs every fuzz target briefly on its seed corpus (fuzz/corpus/<target>/seed-*), so a change
# that makes a target crash on known inputs, or stop building, fails CI: 20,000 executions per
# target (a safety cap of 90 s each), a few minutes in all. Long runs and their figures:
# docs/RELIABILITY.md.
set -euo pipefail

CARGO_FUZZ_VERSION=0.13.2
RUNS=${RUNS:-20000}
cd "$(dirname "$0")/../fuzz"

if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

# Stable toolchain: no sanitizer (`-s none`); libFuzzer's coverage instrumentation only.
cargo fuzz build -s none

# Inputs are capped (-max_len) so that libFuzzer does not spend its time on the largest seeds;
# the structure-aware targets (eval, lsp) need few bytes. The targets' own output (the language
# server logs every ignored notification) is not shown (-close_fd_mask=2); a crash is replayed
# below with it, so the log shows the panic.
start=$(date +%s)
for target in compare config policy policy_roundtrip lsp eval; do
  case $target in
    compare) max_len=16384 ;;
    *) max_len=4096 ;;
  esac
  # Seeds only, in a scratch copy: the committed corpus does not grow.
  scratch=$(mktemp -d)
  cp corpus/"$target"/seed-* "$scratch"/
  echo "== $target: $RUNS runs (at most 90 s)"
  t0=$(date +%s)
  status=0
  cargo fuzz run "$target" -s none -- \
    -dict=rampart.dict -runs="$RUNS" -max_len="$max_len" -entropic=0 -rss_limit_mb=2048 \
    -timeout=20 -max_total_time=90 -close_fd_mask=2 -print_final_stats=1 "$scratch" \
    2>&1 | grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|==[0-9]+== ERROR|SUMMARY|artifact_prefix|Test unit written)' ||
    status=$?
  rm -rf "$scratch"
  if [ "$status" -ne 0 ]; then
    artifact=$(ls -t artifacts/"$target"/* 2>/dev/null | head -n 1)
    echo "== $target: FAILED (status $status); replaying ${artifact:-nothing}" >&2
    if [ -n "$artifact" ]; then
      cargo fuzz run "$target" -s none "$artifact" 2>&1 | tail -n 60 >&2 || true
    fi
    exit 1
  fi
  echo "== $target: $(($(date +%s) - t0)) s"
done
echo "== fuzz smoke: $(($(date +%s) - start)) s in all"
