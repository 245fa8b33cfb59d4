#!/usr/bin/env bash
# Sets up everything the tests need (idempotently) and runs every test suite:
# unit, component, chart (real helm, kubeconform, kube-linter) and build/publish tests.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./scripts/setup.sh
export PATH="$ROOT/.tools/bin:$PATH" NODE_ENV=test TS_JEST_DISABLE_VER_CHECKER=true

mkdir -p tmp
rm -f tmp/jest-*.json
status=0
echo "== type check (every .ts under pkg/ and tests/)"
node_modules/.bin/tsc --noEmit -p tsconfig.json || status=$?
echo "== unit, component, chart and build tests"
node_modules/.bin/jest --ci --maxWorkers=2 --selectProjects unit components chart build \
  --json --outputFile=tmp/jest-results.json || status=$?

echo "== tests against a real kube-apiserver (started and stopped here)"
scripts/kube-apiserver.sh run -- node_modules/.bin/jest --ci --runInBand --selectProjects k8s \
  --json --outputFile=tmp/jest-k8s-results.json || status=$?

node -e '
  const files = ["./tmp/jest-results.json", "./tmp/jest-k8s-results.json"].filter((f) => require("fs").existsSync(f));
  const r = files.map((f) => require(f)).reduce((a, b) => ({
    passed: a.passed + b.numPassedTests, failed: a.failed + b.numFailedTests + b.numRuntimeErrorTestSuites
  }), { passed: 0, failed: 0 });
  console.log(`\njest: ${ r.passed } passed, ${ r.failed } failed`);
'
exit $status
