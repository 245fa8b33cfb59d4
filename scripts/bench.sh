#!/usr/bin/env bash
# Performance figures (printed, never asserted): flow enrichment and aggregation, traffic-graph model,
# and, when the browser benchmark exists, page timings in the real dashboard.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./scripts/setup.sh
export TS_NODE_TRANSPILE_ONLY=1 TS_NODE_COMPILER_OPTIONS='{"module":"commonjs"}'
node -r ts-node/register tests/bench/flows-bench.ts

# The traffic map in Debian's Chromium (setup.sh installs it).
node tests/bench/traffic-map-bench.js
