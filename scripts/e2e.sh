#!/usr/bin/env bash
# Browser end-to-end test: builds the app, starts the dev portal backend (which serves the app on
# :7007) and one worker against fresh data (own SQLite folder, own RabbitMQ names, own Git remotes),
# then runs Playwright in Debian's headless Chromium. Screenshots land in docs/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scripts/ensure-services.sh --browser

work=$(mktemp -d /tmp/provisionhub-e2e.XXXXXX)
pids=()
cleanup() {
  status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$status" != 0 ]; then
    echo "--- backend log: warnings and errors (tail) ---"
    grep -E ' (warn|error) ' "$work/backend.log" 2>/dev/null | tail -n 40 || true
    echo "--- worker log (tail) ---"; tail -n 40 "$work/worker.log" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT INT TERM

echo "[e2e] building the app"
(cd packages/app && ../../node_modules/.bin/backstage-cli package build >"$work/app-build.log" 2>&1) ||
  { tail -n 40 "$work/app-build.log"; exit 1; }

cat >"$work/app-config.e2e.yaml" <<YAML
app:
  baseUrl: http://localhost:7007
backend:
  database:
    client: better-sqlite3
    connection:
      directory: $work/sqlite
provisionhub:
  amqp:
    prefix: e2e-$(basename "$work" | tr -cd 'a-zA-Z0-9')
  runs:
    backoff:
      initialMs: 200
      maxMs: 2000
  git:
    git:
      remoteBase: $work/git
  worker:
    port: 7108
YAML
mkdir -p "$work/sqlite" "$work/git"
export PROVISIONHUB_E2E_GIT_DIR="$work/git"

echo "[e2e] starting backend and worker"
(cd packages/backend && NODE_ENV=development exec ../../node_modules/.bin/backstage-cli package start \
  --config ../../app-config.yaml --config "$work/app-config.e2e.yaml" >"$work/backend.log" 2>&1) &
pids+=($!)
node packages/worker/bin/provisionhub-worker --config app-config.yaml --config "$work/app-config.e2e.yaml" \
  >"$work/worker.log" 2>&1 &
pids+=($!)

for i in $(seq 1 240); do
  if curl -fsS http://localhost:7007/api/provisionhub/health >/dev/null 2>&1 &&
    curl -fsS http://localhost:7108/readyz >/dev/null 2>&1; then
    break
  fi
  [ "$i" = 240 ] && { echo "[e2e] the portal did not become healthy in 120 s"; exit 1; }
  sleep 0.5
done
# Sign-in resolves the guest's groups from the catalog: wait until the catalog has read catalog/.
for i in $(seq 1 240); do
  token=$(curl -fsS http://localhost:7007/api/auth/guest/refresh 2>/dev/null |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).backstageIdentity.token)}catch{}})' ||
    true)
  if [ -n "$token" ] &&
    curl -fsS -H "Authorization: Bearer $token" http://localhost:7007/api/catalog/entities/by-name/user/default/guest >/dev/null 2>&1 &&
    curl -fsS -H "Authorization: Bearer $token" http://localhost:7007/api/provisionhub/blueprints 2>/dev/null | grep -q node-backend; then
    break
  fi
  [ "$i" = 240 ] && { echo "[e2e] the catalog did not load catalog/ in 120 s"; exit 1; }
  sleep 0.5
done
echo "[e2e] portal is up and the catalog is loaded"

node_modules/.bin/playwright test -c "$root/playwright.config.ts" "$@"
