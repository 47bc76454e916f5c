#!/usr/bin/env bash
# Installs ProvisionHub into a fresh @backstage/create-app portal the way docs/install.md says, from
# packs of the published packages, and runs both starter templates end to end:
#  1. builds and packs every published package (scripts/test-install/pack.mjs);
#  2. takes a fresh create-app portal, installed (scripts/test-install/create-portal.sh), from the
#     cache, or makes it and caches it;
#  3. applies the guide's steps with its own lines (scripts/test-install/apply-guide.mjs) and counts
#     the portal files that changed beyond package.json, yarn.lock and the starter set (at most 5);
#  4. starts the portal's backend and a worker (`yarn provisionhub-worker`) on a RabbitMQ vhost of
#     their own, and runs provisionhub-create-system and provisionhub-create-component through the
#     scaffolder API (scripts/test-install/run-templates.mjs).
# Prints the edited-file count and the elapsed time; exits non-zero on any failure; stops what it
# started and removes its vhost.
#
# The portal is cached in PROVISIONHUB_TEST_INSTALL_CACHE (default ~/.cache/provisionhub-test-install),
# keyed by create-app's version and create-portal.sh, and reset with git before each run; runs on
# one machine take turns on it. Ports: PROVISIONHUB_TEST_INSTALL_BACKEND_PORT (7150) and
# PROVISIONHUB_TEST_INSTALL_WORKER_PORT (7151), away from the dev portal's and scripts/e2e.sh's.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
started=$(date +%s)
backend_port=${PROVISIONHUB_TEST_INSTALL_BACKEND_PORT:-7150}
worker_port=${PROVISIONHUB_TEST_INSTALL_WORKER_PORT:-7151}
cache=${PROVISIONHUB_TEST_INSTALL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/provisionhub-test-install}
export npm_config_nodedir=${npm_config_nodedir:-/usr}
log() { echo "[test:install] $* ($(($(date +%s) - started)) s)"; }

scripts/ensure-services.sh >/dev/null
work=$(mktemp -d /tmp/provisionhub-test-install.XXXXXX)
# `yarn` for create-app's check and the guide's commands: this repository's pinned release (the
# portal's yarnPath takes over inside it).
mkdir -p "$work/bin"
printf '#!/bin/sh\nexec node %q "$@"\n' "$root/.yarn/releases/yarn-4.13.0.cjs" >"$work/bin/yarn"
chmod +x "$work/bin/yarn"
export PATH="$work/bin:$PATH"
vhost=provisionhub-install-$(basename "$work" | tr -cd 'a-zA-Z0-9')
pids=()
cleanup() {
  status=$?
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 40); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  rabbitmqctl delete_vhost "$vhost" >/dev/null 2>&1 || true
  if [ "$status" != 0 ]; then
    echo "--- backend log: warnings and errors (tail) ---"
    grep -E ' (warn|error) ' "$work/backend.log" 2>/dev/null | tail -n 40 || true
    echo "--- worker log (tail) ---"; tail -n 40 "$work/worker.log" 2>/dev/null || true
    echo "[test:install] FAILED after $(($(date +%s) - started)) s"
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT INT TERM

log "building and packing the published packages"
node scripts/test-install/pack.mjs "$work/packs" "$cache/packs"

mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9
key="$(sed -n 's/^CREATE_APP_VERSION=//p' scripts/test-install/create-portal.sh)-$(sha256sum scripts/test-install/create-portal.sh | cut -c1-12)"
portal="$cache/portal-$key"
if [ -f "$portal.ready" ]; then
  log "fresh portal from the cache ($portal)"
else
  log "no cached portal for $key: creating one"
  rm -rf "$cache"/portal-*
  scripts/test-install/create-portal.sh "$portal" "$cache/tools"
  touch "$portal.ready"
fi
# Back to the portal as create-app made it; node_modules (ignored by git) stays for a quick install.
git -C "$portal" reset -q --hard
git -C "$portal" clean -fdq

log "applying docs/install.md"
node scripts/test-install/apply-guide.mjs "$portal" "$work/packs" yarn
edited=$(git -C "$portal" status --porcelain --untracked-files=all | cut -c4- |
  grep -v -E '(^|/)package\.json$|^yarn\.lock$|^provisionhub/' || true)
edited_count=$(printf '%s' "$edited" | grep -c . || true)
echo "[test:install] portal files edited beyond package.json, yarn.lock and the starter set: $edited_count"
printf '  %s\n' $edited
[ "$edited_count" -le 5 ] || { echo "[test:install] more than 5 edited files"; exit 1; }

rabbitmqctl add_vhost "$vhost" >/dev/null
rabbitmqctl set_permissions -p "$vhost" guest '.*' '.*' '.*' >/dev/null
cat >"$work/app-config.test-install.yaml" <<YAML
app:
  baseUrl: http://localhost:$backend_port
backend:
  baseUrl: http://localhost:$backend_port
  listen:
    port: $backend_port
provisionhub:
  amqp:
    url: amqp://guest:guest@127.0.0.1:5672/$vhost
  worker:
    port: $worker_port
YAML

log "starting the portal's backend and a worker"
(cd "$portal/packages/backend" && exec setsid yarn start --config ../../app-config.yaml \
  --config "$work/app-config.test-install.yaml" >"$work/backend.log" 2>&1) &
pids+=($!)
(cd "$portal" && exec setsid yarn provisionhub-worker --config app-config.yaml \
  --config "$work/app-config.test-install.yaml" >"$work/worker.log" 2>&1) &
pids+=($!)

node scripts/test-install/run-templates.mjs "http://localhost:$backend_port" \
  "$portal/.provisionhub/git" group:default/guests
# docs/install.md's checklist (section 9): the worker consumes, and the portal's policy is not
# the allow-all one the control plane warns about.
grep -q 'is consuming' "$work/worker.log" || { echo "[test:install] the worker never logged 'is consuming'"; exit 1; }
if grep 'provisionhub.run.approve is granted to everyone' "$work/backend.log"; then
  echo "[test:install] the backend warns that everyone may approve runs"; exit 1
fi

echo "[test:install] passed: $edited_count edited files, $(($(date +%s) - started)) s"
