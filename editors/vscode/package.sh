#!/usr/bin/env bash
# Builds the VS Code extension: editors/vscode/rampart-<version>.vsix. Works from any directory:
# `bash editors/vscode/package.sh`. Needs only node and npm (the npm registry).
#
#   npm ci --ignore-scripts   the pinned dependencies (no install script is needed to package)
#   npm run sync-grammar      copies grammar/rampart.tmLanguage.json into syntaxes/
#   tsc -p .                  src/extension.ts -> out/extension.js
#   vsce package              the .vsix, with vscode-languageclient and its dependencies
#                             from node_modules (so no bundler is needed)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
npm run --silent sync-grammar
npx --no-install tsc -p .

version="$(node -p "require('./package.json').version")"
vsix="$here/rampart-$version.vsix"
rm -f "$vsix"
# vscode:prepublish (sync-grammar and tsc again) runs inside `vsce package`.
npx --no-install vsce package --allow-missing-repository --out "$vsix"

# The .vsix is a zip whose entry names are stored as plain text: check that what the extension
# needs at run time is in it.
node - "$vsix" <<'JS'
const fs = require('fs');
const file = process.argv[2];
const zip = fs.readFileSync(file);
const needed = [
  'extension/package.json',
  'extension/out/extension.js',
  'extension/syntaxes/rampart.tmLanguage.json',
  'extension/language-configuration.json',
  'extension/snippets/rampart.json',
  'extension/schemas/jurisdiction.schema.json',
  'extension/node_modules/vscode-languageclient/node.js',
  'extension/node_modules/vscode-languageserver-protocol/package.json',
  'extension/node_modules/vscode-jsonrpc/package.json',
];
const missing = needed.filter((name) => !zip.includes(Buffer.from(name)));
if (missing.length > 0) {
  console.error(`error: ${file} lacks ${missing.join(', ')}`);
  process.exit(1);
}
console.log(`ok: ${file} (${(zip.length / 1024).toFixed(0)} KiB) holds ${needed.length} expected files`);
JS
