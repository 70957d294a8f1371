#!/usr/bin/env bash
# Tests Rampart's editor grammars. Works from any directory: `bash grammar/test.sh`.
#
#  1. tree-sitter-rampart/: `npm ci`, make sure the tree-sitter CLI binary is there (see below),
#     `tree-sitter generate`, `tree-sitter test` (test/corpus and test/highlight), check that every
#     query file (queries/*.scm and editors/**/queries/**/*.scm) compiles against the grammar, then
#     parse with `tree-sitter parse` every .rampart file under policies/ and tests/fixtures/valid/
#     (if they exist) and the TextMate test files (but invalid-*.rampart), and fail if any tree
#     holds an ERROR or MISSING node. The ```rampart blocks of docs/**/*.md are parsed too, but
#     a block that does not parse is only reported (a warning), as docs may be mid-edit.
#  2. rampart.tmLanguage.json: `npm ci` in grammar/, then vscode-tmgrammar-test on
#     tmgrammar-tests/*.rampart.
#
# The tree-sitter CLI binary. The npm package `tree-sitter-cli` fetches its binary from GitHub in
# an install script, and only package registries are reachable here, so `npm ci` runs with
# --ignore-scripts and the binary is built from Rust's package registry instead, at the very
# version the npm package is pinned to: `cargo install tree-sitter-cli --version V --locked`
# (about 2 minutes on 2 idle cores, once; needs cargo and a C compiler). It is kept in a cache
# directory and linked to where the npm package's launcher looks for it, so that
# `npx tree-sitter ...` works as usual.
#   TREE_SITTER_CLI_ROOT=DIR      cargo install root (default ~/.cache/rampart/tree-sitter-cli-V)
#   TREE_SITTER_CLI_DOWNLOAD=1    use the npm package's own download from GitHub instead
# A `tree-sitter` already on PATH at the same version is used as it is.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
ts_dir="$here/tree-sitter-rampart"
npm_flags=(--no-audit --no-fund --loglevel=error)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

step() { printf '\n==> %s\n' "$*"; }

# --------------------------------------------------------------------------------- tree-sitter
step "tree-sitter-rampart: npm ci"
cd "$ts_dir"
npm ci --ignore-scripts "${npm_flags[@]}"

version="$(node -p "require('./node_modules/tree-sitter-cli/package.json').version")"
ts_bin="$ts_dir/node_modules/tree-sitter-cli/tree-sitter"

has_version() { [ -x "$1" ] && [ "$("$1" --version 2>/dev/null | awk '{print $2}')" = "$version" ]; }

step "tree-sitter CLI $version"
if has_version "$ts_bin"; then
  echo "already installed: $ts_bin"
elif [ "${TREE_SITTER_CLI_DOWNLOAD:-0}" = 1 ]; then
  (cd "$ts_dir/node_modules/tree-sitter-cli" && node install.js)
else
  on_path="$(command -v tree-sitter || true)"
  if [ -n "$on_path" ] && has_version "$on_path"; then
    src="$on_path"
  else
    cli_root="${TREE_SITTER_CLI_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/rampart/tree-sitter-cli-$version}"
    src="$cli_root/bin/tree-sitter"
    if ! has_version "$src"; then
      if ! command -v cargo >/dev/null; then
        echo "error: tree-sitter $version is missing and cargo is not installed to build it;" >&2
        echo "       install Rust (https://rustup.rs) or set TREE_SITTER_CLI_DOWNLOAD=1" >&2
        exit 1
      fi
      echo "building tree-sitter-cli $version with cargo into $cli_root (once)"
      cargo install tree-sitter-cli --version "$version" --locked --root "$cli_root"
    fi
  fi
  ln -sf "$src" "$ts_bin"
  echo "using $src"
fi
has_version "$ts_bin" || { echo "error: $ts_bin is not tree-sitter $version" >&2; exit 1; }

# A config whose parser directory is grammar/, so that `parse`, `query` and `highlight` find
# the Rampart grammar from any directory (and do not warn about a missing config).
printf '{"parser-directories": ["%s"]}\n' "$here" > "$work/config.json"
cfg=(--config-path "$work/config.json")

step "tree-sitter generate"
npx --no-install tree-sitter generate

step "tree-sitter test"
npx --no-install tree-sitter test "${cfg[@]}"

# Files to parse: policies, valid fixtures and the TextMate tests.
files=()
for dir in "$root/policies" "$root/tests/fixtures/valid"; do
  if [ -d "$dir" ]; then
    while IFS= read -r -d '' f; do files+=("$f"); done \
      < <(find "$dir" -type f -name '*.rampart' -print0 | sort -z)
  fi
done
while IFS= read -r -d '' f; do files+=("$f"); done \
  < <(find "$here/tmgrammar-tests" -type f -name '*.rampart' ! -name 'invalid-*' -print0 | sort -z)

step "tree-sitter parse: ${#files[@]} files"
failed=0
for f in "${files[@]}"; do
  if ! out="$("$ts_bin" parse "${cfg[@]}" "$f" 2>&1)" || grep -qE 'ERROR|MISSING' <<<"$out"; then
    echo "FAIL $f"
    grep -E 'ERROR|MISSING' <<<"$out" | head -n 20 || true
    failed=$((failed + 1))
  else
    echo "ok   ${f#"$root"/}"
  fi
done
if [ "$failed" -ne 0 ]; then
  echo "error: $failed file(s) did not parse cleanly" >&2
  exit 1
fi

# The docs' examples: every fenced block opened by exactly ```rampart (a block meant to show an
# error can be fenced as ```text). Reported, not fatal.
if [ -d "$root/docs" ]; then
  step "tree-sitter parse: \`\`\`rampart blocks in docs/ (warnings only)"
  mkdir -p "$work/docs" && : > "$work/docs/index.tsv"
  find "$root/docs" -type f -name '*.md' -print0 | sort -z | xargs -0 -r node -e '
    const fs = require("fs"), path = require("path");
    const [out, root, ...mds] = process.argv.slice(1);
    const index = [];
    for (const md of mds) {
      const lines = fs.readFileSync(md, "utf8").split("\n");
      for (let i = 0; i < lines.length; i++) {
        if (!/^```rampart\s*$/.test(lines[i])) continue;
        let j = i + 1;
        while (j < lines.length && !lines[j].startsWith("```")) j++;
        const file = path.join(out, `${index.length}.rampart`);
        fs.writeFileSync(file, lines.slice(i + 1, j).join("\n") + "\n");
        index.push([file, path.relative(root, md), i + 2].join("\t"));
        i = j;
      }
    }
    fs.writeFileSync(path.join(out, "index.tsv"), index.map((l) => l + "\n").join(""));
  ' "$work/docs" "$root"
  while IFS=$'\t' read -r f md line; do
    if ! out="$("$ts_bin" parse "${cfg[@]}" "$f" 2>&1)" || grep -qE 'ERROR|MISSING' <<<"$out"; then
      row="$(grep -oE '\((ERROR|MISSING)[^[]*\[[0-9]+' <<<"$out" | head -n 1 | grep -oE '[0-9]+$' || echo 0)"
      echo "WARNING: $md:$((line + row)): this \`\`\`rampart block does not parse"
    else
      echo "ok   $md:$line"
    fi
  done < "$work/docs/index.tsv"
fi

step "query files compile"
sample="$ts_dir/test/highlight/basics.rampart"
queries=("$ts_dir"/queries/*.scm)
if [ -d "$root/editors" ]; then
  while IFS= read -r -d '' q; do queries+=("$q"); done \
    < <(find "$root/editors" -path '*/node_modules' -prune -o -type f -path '*/queries/*' -name '*.scm' -print0 | sort -z)
fi
for q in "${queries[@]}"; do
  "$ts_bin" query --quiet "${cfg[@]}" "$q" "$sample" >/dev/null
  echo "ok   ${q#"$root"/}"
done

# ------------------------------------------------------------------------------------ TextMate
step "TextMate grammar: npm ci"
cd "$here"
npm ci "${npm_flags[@]}"

step "vscode-tmgrammar-test"
npx --no-install vscode-tmgrammar-test 'tmgrammar-tests/**/*.rampart'

step "all grammar tests passed"
