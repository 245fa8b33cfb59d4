#!/usr/bin/env bash
# Performance figures (printed, never asserted): flow enrichment and aggregation, traffic-graph model,
# the traffic map in Debian's Chromium, and page timings in the real dashboard.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./scripts/setup.sh
export TS_NODE_TRANSPILE_ONLY=1 TS_NODE_COMPILER_OPTIONS='{"module":"commonjs"}'
node -r ts-node/register tests/bench/flows-bench.ts
node -r ts-node/register tests/bench/security-review-bench.ts
node -r ts-node/register tests/bench/policy-bench.ts

# DeepFlow's own database on the Traffic Flows edge statement at the scale benchmark's 50,000 edges (chdb, the
# contract tests' ClickHouse): what the real querier would take, beside the sandbox stand-in's figure.
.tools/venv/bin/python tests/bench/clickhouse-flows-bench.py 2>&1 | grep -v "^Processing configuration file"

# The traffic map in Debian's Chromium (setup.sh installs it).
node tests/bench/traffic-map-bench.js

# Flows page and VM Network tab in the real dashboard, against the e2e backend and its own kube-apiserver.
KUBE_RUN_DIR="$ROOT/.tools/kube/bench-run" KUBE_SERVICE_CIDR=10.53.0.0/16 \
  scripts/kube-apiserver.sh run -- node --require ./sandbox/register.js tests/bench/pages-bench.ts

# Overview, Traffic Flows, a VM's Network tab and the Security Review at Harvester scale (1,000 VMs, 5,000 pods,
# 100 nodes, 500 Services, 50,000 flows): render time, API requests and bytes, peak JS heap; five runs a page
# and their median, beside the machine's speed at the time (this shared machine is noisy).
KUBE_RUN_DIR="$ROOT/.tools/kube/bench-run" KUBE_SERVICE_CIDR=10.53.0.0/16 \
  scripts/kube-apiserver.sh run -- node --require ./sandbox/register.js tests/bench/scale-bench.ts --repeat 5

# Time from ./scripts/start.sh to a usable Traffic Flows page in the sandbox (goal: under a minute).
node --require ./sandbox/register.js tests/bench/start-bench.ts
