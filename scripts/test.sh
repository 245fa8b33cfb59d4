#!/usr/bin/env bash
# Sets up everything the tests need (idempotently) and runs every test suite:
# unit, component, chart (real helm, kubeconform, kube-linter) and build/publish tests.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./scripts/setup.sh
export PATH="$ROOT/.tools/bin:$PATH" NODE_ENV=test TS_JEST_DISABLE_VER_CHECKER=true

mkdir -p tmp
status=0
echo "== type check (every .ts under pkg/ and tests/)"
node_modules/.bin/tsc --noEmit -p tsconfig.json || status=$?
node_modules/.bin/jest --ci --maxWorkers=2 --selectProjects unit components chart build \
  --json --outputFile=tmp/jest-results.json || status=$?

node -e '
  const r = require("./tmp/jest-results.json");
  console.log(`\njest: ${ r.numPassedTests } passed, ${ r.numFailedTests + r.numRuntimeErrorTestSuites } failed`);
'
exit $status
