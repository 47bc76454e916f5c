#!/usr/bin/env bash
# Runs every package's `bench` script (they print figures; nothing here asserts a timing).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-services.sh
exec node .yarn/releases/yarn-4.13.0.cjs workspaces foreach --all --verbose run bench "$@"
