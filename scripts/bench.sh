#!/usr/bin/env bash
# Performance figures (printed, never asserted): flow enrichment and aggregation, traffic-graph model,
# and, when the browser benchmark exists, page timings in the real dashboard.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./scripts/setup.sh --build-only
export TS_NODE_TRANSPILE_ONLY=1 TS_NODE_COMPILER_OPTIONS='{"module":"commonjs"}'
node -r ts-node/register tests/bench/flows-bench.ts

# The traffic map in Debian's Chromium (installed from Debian when missing; never a downloaded browser).
if [ ! -x /usr/bin/chromium ]; then
  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || { echo "chromium could not be installed: skipping the browser figures" >&2; exit 0; }
fi
node tests/bench/traffic-map-bench.js
