#!/usr/bin/env bash
# Sets up everything the tests need (idempotently) and runs every test suite:
# unit, component, chart (real helm, kubeconform, kube-linter), build/publish tests, tests against a real
# kube-apiserver, and real-browser tests (the Rancher dashboard with the extension, in Debian's Chromium).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./scripts/setup.sh
export PATH="$ROOT/.tools/bin:$PATH" NODE_ENV=test TS_JEST_DISABLE_VER_CHECKER=true

mkdir -p tmp
rm -f tmp/jest-*.json tmp/e2e/summary.json
status=0
echo "== type check (every .ts under pkg/ and tests/)"
node_modules/.bin/tsc --noEmit -p tsconfig.json || status=$?
echo "== lint (the Rancher dashboard's rules, .eslintrc.js)"
# ESLint 7 loads through v8-compile-cache, which cannot require the .mjs files of newer dependencies.
DISABLE_V8_COMPILE_CACHE=1 node_modules/.bin/eslint --max-warnings 0 --ext .ts,.js,.vue . || status=$?
echo "== unit, component, chart, build and DeepFlow contract tests"
node_modules/.bin/jest --ci --maxWorkers=2 --selectProjects unit components chart build contract \
  --json --outputFile=tmp/jest-results.json || status=$?

echo "== tests against a real kube-apiserver (started and stopped here)"
scripts/kube-apiserver.sh run -- node_modules/.bin/jest --ci --runInBand --selectProjects k8s \
  --json --outputFile=tmp/jest-k8s-results.json || status=$?

echo "== real-browser tests: the Rancher dashboard with the extension in Debian's Chromium"
E2E_ARTIFACTS_DIR=tmp/e2e scripts/e2e.sh || status=$?

echo "== the pages on a small generated cluster (tests/bench/scale-bench.ts --smoke: figures printed, fails only if a page breaks)"
KUBE_RUN_DIR="$ROOT/.tools/kube/scale-run" KUBE_SERVICE_CIDR=10.53.0.0/16 scripts/kube-apiserver.sh run -- \
  node --require ./sandbox/register.js tests/bench/scale-bench.ts --smoke || status=$?

echo "== the main command: ./scripts/start.sh on a fresh copy, in Debian's Chromium, stopped with SIGTERM"
E2E_ARTIFACTS_DIR=tmp/e2e node --require ./sandbox/register.js --test tests/sandbox/start.test.ts || status=$?

node -e '
  const fs = require("fs");
  // A suite that wrote no results (it crashed or never started) counts as one failure.
  const noResults = { numPassedTests: 0, numFailedTests: 1, numRuntimeErrorTestSuites: 0 };
  const r = ["./tmp/jest-results.json", "./tmp/jest-k8s-results.json"]
    .map((f) => (fs.existsSync(f) ? require(f) : noResults)).reduce((a, b) => ({
      passed: a.passed + b.numPassedTests, failed: a.failed + b.numFailedTests + b.numRuntimeErrorTestSuites
    }), { passed: 0, failed: 0 });
  const e2e = fs.existsSync("./tmp/e2e/summary.json") ? require("./tmp/e2e/summary.json") : { passed: 0, failed: 1 };
  console.log(`\njest: ${ r.passed } passed, ${ r.failed } failed`);
  console.log(`e2e: ${ e2e.passed } passed, ${ e2e.failed } failed`);
  console.log(`all: ${ r.passed + e2e.passed } passed, ${ r.failed + e2e.failed } failed`);
'
exit $status
