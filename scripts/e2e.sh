#!/usr/bin/env bash
# Real-browser tests: the sandbox's dashboard (@rancher/shell with a Harvester stand-in, built by
# sandbox/dashboard/build.ts) loading our extension's published UMD bundle (dist/repo, sandbox/published-repo.ts)
# through Rancher's extension loader, in Debian's Chromium, against sandbox/backend on 127.0.0.1, whose
# Kubernetes objects live in a real kube-apiserver started and stopped here.
# Screenshots go to tmp/e2e/screenshots (E2E_ARTIFACTS_DIR). Arguments narrow the run to matching scenario files.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ ! -x /usr/bin/chromium ]; then
  echo "e2e: /usr/bin/chromium is missing: install Debian's chromium package (scripts/setup.sh does it with apt-get)" >&2
  exit 1
fi
# An instance of its own (E2E_KUBE_RUN_DIR), with Harvester's Service range, beside the k8s suite's.
export KUBE_RUN_DIR="${E2E_KUBE_RUN_DIR:-$ROOT/.tools/kube/e2e-run}" KUBE_SERVICE_CIDR=10.53.0.0/16
scripts/kube-apiserver.sh run -- node --require ./sandbox/register.js tests/e2e/run.ts "$@"
