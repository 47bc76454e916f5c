#!/usr/bin/env bash
# Starts the whole dev portal: frontend (http://localhost:3000), backend (:7007) and one worker (:7008).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-services.sh
mkdir -p .provisionhub/git .provisionhub/sqlite
node packages/worker/bin/provisionhub-worker --config app-config.yaml &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM
node_modules/.bin/backstage-cli repo start "$@"
