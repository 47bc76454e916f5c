#!/usr/bin/env bash
# Browser end-to-end test: builds the app, starts the development identity provider (:7030), the
# dev portal backend with app-config.oidc.yaml (it serves the app on :7007) and one worker (:7108)
# against fresh data (own SQLite folder, own RabbitMQ names, own Git remotes, own signing key),
# then runs Playwright in Debian's headless Chromium. Screenshots land in docs/screenshots/.
# Other ports: PROVISIONHUB_E2E_BACKEND_PORT, PROVISIONHUB_E2E_WORKER_PORT, PROVISIONHUB_E2E_IDP_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scripts/ensure-services.sh --browser
backend_port=${PROVISIONHUB_E2E_BACKEND_PORT:-7007}
worker_port=${PROVISIONHUB_E2E_WORKER_PORT:-7108}
idp_port=${PROVISIONHUB_E2E_IDP_PORT:-7030}
portal=http://localhost:$backend_port

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
    echo "--- identity provider log (tail) ---"; tail -n 20 "$work/idp.log" 2>/dev/null || true
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
  baseUrl: $portal
backend:
  baseUrl: $portal
  listen:
    port: $backend_port
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
    port: $worker_port
YAML
mkdir -p "$work/sqlite" "$work/git"
export PROVISIONHUB_E2E_GIT_DIR="$work/git"

# The backend reads the provider's metadata when it starts: the provider goes first.
echo "[e2e] starting the identity provider"
export PROVISIONHUB_IDP_URL=http://localhost:$idp_port PROVISIONHUB_E2E_IDP_URL=http://localhost:$idp_port
export PROVISIONHUB_E2E_IDP_KEY_FILE="$work/idp/signing-key.json"
PROVISIONHUB_IDP_PORT=$idp_port PROVISIONHUB_IDP_PORTAL_URLS=$portal PROVISIONHUB_IDP_KEY_FILE="$PROVISIONHUB_E2E_IDP_KEY_FILE" \
  node packages/dev-idp/bin/provisionhub-dev-idp >"$work/idp.log" 2>&1 &
pids+=($!)
for i in $(seq 1 60); do
  curl -fsS "$PROVISIONHUB_IDP_URL/.well-known/openid-configuration" >/dev/null 2>&1 && break
  [ "$i" = 60 ] && { echo "[e2e] the identity provider did not start in 30 s"; cat "$work/idp.log"; exit 1; }
  sleep 0.5
done

echo "[e2e] starting backend and worker"
(cd packages/backend && NODE_ENV=development exec ../../node_modules/.bin/backstage-cli package start \
  --config ../../app-config.yaml --config ../../app-config.oidc.yaml --config "$work/app-config.e2e.yaml" \
  >"$work/backend.log" 2>&1) &
pids+=($!)
node packages/worker/bin/provisionhub-worker --config app-config.yaml --config "$work/app-config.e2e.yaml" \
  >"$work/worker.log" 2>&1 &
pids+=($!)

for i in $(seq 1 240); do
  if curl -fsS "$portal/api/provisionhub/health" >/dev/null 2>&1 &&
    curl -fsS "http://localhost:$worker_port/readyz" >/dev/null 2>&1; then
    break
  fi
  [ "$i" = 240 ] && { echo "[e2e] the portal did not become healthy in 120 s"; exit 1; }
  sleep 0.5
done
# Sign-in resolves the guest's groups from the catalog: wait until the catalog has read catalog/.
for i in $(seq 1 240); do
  token=$(curl -fsS "$portal/api/auth/guest/refresh" 2>/dev/null |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).backstageIdentity.token)}catch{}})' ||
    true)
  if [ -n "$token" ] &&
    curl -fsS -H "Authorization: Bearer $token" "$portal/api/catalog/entities/by-name/user/default/guest" >/dev/null 2>&1 &&
    curl -fsS -H "Authorization: Bearer $token" "$portal/api/provisionhub/blueprints" 2>/dev/null | grep -q node-backend; then
    break
  fi
  [ "$i" = 240 ] && { echo "[e2e] the catalog did not load catalog/ in 120 s"; exit 1; }
  sleep 0.5
done
echo "[e2e] portal is up and the catalog is loaded"

PLAYWRIGHT_URL=$portal node_modules/.bin/playwright test -c "$root/playwright.config.ts" "$@"
