#!/usr/bin/env bash
# Takes the README's screenshots of the VS Code extension: docs/images/vscode-diagnostics.png and
# docs/images/vscode-hover.png. Run by hand (not by CI), from any directory:
#
#   bash editors/vscode/screenshot/screenshot.sh
#
# It builds `rampart` (release) and the .vsix (editors/vscode/package.sh), installs a pinned
# code-server (VS Code in the browser) and playwright-core into a scratch directory, installs the
# .vsix into that code-server, opens a small policy with one deliberate error in headless Chromium
# and captures the editor (screenshot.mjs). See README.md beside this file.
#
# Environment:
#   SCRATCH   scratch directory, kept between runs so the install is done once
#             (default /tmp/rampart-vscode-screenshot)
#   OUT       where the PNGs go (default docs/images of this repository)
#   PORT      code-server's port on 127.0.0.1 (default 18080)
#   CHROMIUM  the Chromium binary (default /usr/bin/chromium)
set -euo pipefail

# Pinned versions. code-server 4.100.x is the last line whose npm package runs on Node 20
# (4.103 and later want Node 22); it ships npm-shrinkwrap.json files, so its own dependencies
# are pinned too.
CODE_SERVER_VERSION=4.100.3
PLAYWRIGHT_CORE_VERSION=1.65.1  # the same as tests/browser
NODE_MAJOR=20

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
scratch="${SCRATCH:-/tmp/rampart-vscode-screenshot}"
out="${OUT:-$repo/docs/images}"
port="${PORT:-18080}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

say() { printf 'screenshot.sh: %s\n' "$*"; }

# --- prerequisites ---------------------------------------------------------------------------
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != "$NODE_MAJOR" ]; then
  say "code-server $CODE_SERVER_VERSION needs Node $NODE_MAJOR, this is Node $(node -v)" >&2
  exit 1
fi
# Debian packages: a C++ tool chain and headers for code-server's native modules (node-gyp,
# kerberos, libsecret, xkbfile), ripgrep (code-server's search; its npm package would download
# a binary from outside the npm registry) and Chromium.
debs=(build-essential pkg-config python3 libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev ripgrep chromium)
missing=()
for deb in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q 'install ok installed' || missing+=("$deb")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    say "missing Debian packages: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
# node-gyp builds against the headers of the running Node (Debian's nodejs has them in
# /usr/include/node); without them it would download them from outside the npm registry.
if [ -f /usr/include/node/node_version.h ]; then
  export npm_config_nodedir=/usr
fi

# --- the server and the extension ------------------------------------------------------------
say "building rampart (release)"
(cd "$repo" && nice -n 10 cargo build --release --quiet)
rampart="$repo/target/release/rampart"

say "packaging the extension"
nice -n 10 bash "$repo/editors/vscode/package.sh" >/dev/null
vsix="$(ls "$repo"/editors/vscode/rampart-*.vsix | head -n 1)"

# --- code-server and playwright-core in the scratch directory ---------------------------------
mkdir -p "$scratch"
cd "$scratch"
stamp="code-server@$CODE_SERVER_VERSION playwright-core@$PLAYWRIGHT_CORE_VERSION node@$NODE_MAJOR"
if [ "$(cat .installed 2>/dev/null)" != "$stamp" ]; then
  say "installing $stamp into $scratch (a few minutes: native modules are compiled)"
  rm -rf node_modules package.json package-lock.json .installed
  cat > package.json <<JSON
{
  "private": true,
  "dependencies": {
    "code-server": "$CODE_SERVER_VERSION",
    "playwright-core": "$PLAYWRIGHT_CORE_VERSION"
  }
}
JSON
  # code-server's postinstall (npm install in lib/vscode) would fetch ripgrep from outside the
  # npm registry, so its steps are done here instead, with the install scripts that only build
  # native modules run one by one.
  nice -n 10 npm install --ignore-scripts --no-audit --no-fund --loglevel=error
  # argon2 (password hashing; loaded even with --auth none): its install script falls back to
  # building from source when the prebuilt download fails.
  nice -n 10 npm rebuild argon2 --loglevel=error
  vscode_dir="$scratch/node_modules/code-server/lib/vscode"
  (
    cd "$vscode_dir"
    nice -n 10 npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error
    # node-pty's post-install script also runs `npx node-gyp@12.4.0` (from the npm registry)
    # for a compile_commands.json: allow npx to install it.
    npm_config_yes=true nice -n 10 npm rebuild kerberos @parcel/watcher @vscode/deviceid \
      @vscode/spdlog native-watchdog node-pty --loglevel=error
    mkdir -p node_modules/@vscode/ripgrep/bin
    ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
    # What code-server's postinstall.sh does after its npm install:
    rm -rf node_modules.asar && ln -s node_modules node_modules.asar
    (cd bin/remote-cli && ln -sf code-linux.sh code-server)
    (cd bin/helpers && ln -sf browser-linux.sh browser.sh)
    cd extensions
    nice -n 10 npm install --omit=dev --no-audit --no-fund --loglevel=error
  )
  echo "$stamp" > .installed
fi
code_server="$scratch/node_modules/.bin/code-server"

# --- the workspace, the settings and the extension ----------------------------------------
# Every file code-server writes stays in the scratch directory.
export XDG_CONFIG_HOME="$scratch/xdg/config" XDG_DATA_HOME="$scratch/xdg/data" XDG_CACHE_HOME="$scratch/xdg/cache"
rm -rf "$scratch/ws" "$scratch/user-data" "$scratch/extensions" "$scratch/xdg"
mkdir -p "$scratch/ws" "$scratch/user-data/User" "$scratch/extensions"

# The first example of docs/language.md, with one deliberate error: `s.criticalty` in
# is_critical (the field is `criticality`), which the checker reports with a did-you-mean.
# screenshot.mjs looks for this text: keep the two in step.
cat > "$scratch/ws/main.rampart" <<'RAMPART'
// Sources, pillars and stages: the metadata that norms refer to.
source commonwealth-2020 {
  title     "Cybersecurity for Elections: A Commonwealth Guide on Best Practice"
  publisher "Commonwealth Secretariat"
  year      2020
}

pillar governance "Governance and critical-infrastructure status"
stage  planning   "Pre-electoral: budgeting, procurement, system design, risk assessment"

/// How much a system matters to the outcome of the election.
enum Criticality { "critical", "high", "normal" }

/// The jurisdiction document.
schema {
  election: Election
  /// Every ICT system used in the electoral cycle.
  systems?: [System]
  contacts?: [Contact]
}

type Election { date: date }

type System {
  id: string
  criticality?: Criticality
  /// The accountable owner: the id of an entry of `contacts`.
  owner?: ref contacts
}

type Contact { id: string  phone?: string }

/// A system whose criticality is "critical".
def is_critical(s: System) = s.criticalty == "critical"

/// Every critical ICT system should have an owner who can be reached in an incident.
norm gov-system-ownership {
  title    "Every critical system has a reachable owner"
  pillar   governance
  stages   [planning]
  severity high
  cites    commonwealth-2020
  when     any s in systems: is_critical(s)
  require  all s in systems where is_critical(s): s.owner.phone != ""
    else "critical system {s.id} has no owner with a phone number"
  fix      "Name an owner with a phone number in contacts for every critical system."
}

test "a critical system with a reachable owner passes" {
  given { "election": { "date": "2027-05-16" },
          "systems": [{ "id": "reg", "criticality": "critical", "owner": "c1" }],
          "contacts": [{ "id": "c1", "phone": "+1 555 0100" }] }
  expect pass gov-system-ownership
}
RAMPART

# The checker must report exactly the error the screenshots show.
if "$rampart" validate --policy "$scratch/ws/main.rampart" >/dev/null 2>&1; then
  say "main.rampart has no error: the screenshot would show no diagnostic" >&2
  exit 1
fi

cat > "$scratch/user-data/User/settings.json" <<JSON
{
  "rampart.path": "$rampart",
  "workbench.colorTheme": "Default Dark Modern",
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "editor.minimap.enabled": false,
  "editor.stickyScroll.enabled": false,
  "editor.scrollBeyondLastLine": false,
  "editor.hover.delay": 200,
  "window.commandCenter": false,
  "chat.commandCenter.enabled": false
}
JSON

say "installing $(basename "$vsix") into code-server"
"$code_server" --user-data-dir "$scratch/user-data" --extensions-dir "$scratch/extensions" \
  --install-extension "$vsix" >/dev/null

# --- run code-server and take the screenshots ------------------------------------------------
say "starting code-server $CODE_SERVER_VERSION on 127.0.0.1:$port"
# In a session of its own, so that stopping it also stops its children (extension host, file
# watcher, rampart lsp).
setsid "$code_server" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry \
  --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  --user-data-dir "$scratch/user-data" --extensions-dir "$scratch/extensions" \
  "$scratch/ws" >"$scratch/code-server.log" 2>&1 &
server_pid=$!
trap 'kill -- "-$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  if node -e "fetch('http://127.0.0.1:$port/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; then
    break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    say "code-server exited; its log:" >&2
    cat "$scratch/code-server.log" >&2
    exit 1
  fi
  sleep 1
done

mkdir -p "$out"
cp "$here/screenshot.mjs" "$scratch/screenshot.mjs"
node "$scratch/screenshot.mjs" "http://127.0.0.1:$port" "$scratch/ws" "$out"

for png in "$out/vscode-diagnostics.png" "$out/vscode-hover.png"; do
  size="$(wc -c < "$png")"
  say "$png: $((size / 1024)) KiB"
  if [ "$size" -gt $((400 * 1024)) ]; then
    say "$png is over 400 KiB" >&2
    exit 1
  fi
done
