#!/usr/bin/env bash
# Runs every package's tests once (never watch mode) against the machine's PostgreSQL and RabbitMQ.
# Extra arguments go to jest, e.g. `yarn test plugins/provisionhub-backend`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-services.sh
export CI=true
export BACKSTAGE_TEST_DISABLE_DOCKER=1
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"
exec node_modules/.bin/backstage-cli repo test --verbose "$@"
