#!/usr/bin/env bash
# Main job. Sets up what it needs (scripts/setup.sh --build-only), then runs one of three modes:
#   sandbox (default)  the real Rancher dashboard with this extension's published bundle on a sandbox Harvester
#   repo               serve the Helm repository for a real Rancher
#   dev                the dashboard dev server against a real Rancher (API=<rancher url>)
# ./scripts/start.sh --help describes them and their settings.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STARTED_AT="$(date +%s%3N)"

usage() {
  cat <<'EOF'
Usage: ./scripts/start.sh [sandbox|repo|dev]

  sandbox (default)
      Builds the extension and its Helm repository (dist/repo, reused while the sources are unchanged), then
      runs the real Rancher dashboard, which loads the extension's published UMD bundle from that repository
      through Rancher's extension loader, on a small Harvester cluster: a real kube-apiserver seeded with
      nodes, VMs (management network and a VLAN), pods and Services, with stand-ins for Rancher's API,
      Harvester's Addon controller, DeepFlow's querier (generated flows) and Grafana. Prints one URL and the
      login. Ctrl-C (or SIGTERM) stops everything it started.
        PORT=<port>            port of the dashboard (default 8005; a free one when 8005 is taken; when PORT
                               is given and taken it stops with an error)
        HOST=<address>         address to listen on (default 127.0.0.1; 0.0.0.0 for other machines)
        SANDBOX_PASSWORD=<pw>  password of the user "admin" (default: a random one, printed)
        SANDBOX_STACK=installed
                               start with the monitoring stack already installed (else install it from the
                               wizard on the Network Monitoring > Overview page)

  repo
      Builds the Helm repository into dist/repo and serves it over HTTP, printing the URLs a Rancher
      administrator adds (Extensions > Manage Repositories) or developer-loads.
        PORT=<port>            (default 4500)
        PUBLIC_URL=<url>       the address Rancher reaches this machine at (default http://<first IP>:PORT)

  dev
      Runs the dashboard dev server (https://127.0.0.1:8005) with this extension against a real Rancher.
        API=<rancher url>      required

Without a mode, API=<url> selects dev (as before the sandbox existed). Setup needs Node 20, Go and Python 3.
EOF
}

MODE="${1:-}"
case "$MODE" in
  -h|--help|help) usage; exit 0 ;;
  "") if [ -n "${API:-}" ]; then MODE=dev; else MODE=sandbox; fi ;;
  sandbox|repo|dev) ;;
  *) echo "start.sh: unknown mode '$MODE'" >&2; usage >&2; exit 2 ;;
esac

./scripts/setup.sh --build-only
export PATH="$ROOT/.tools/bin:$PATH"

case "$MODE" in
  sandbox)
    # The real kube-apiserver and etcd, built once from the Go module proxy (about 4 minutes the first time).
    scripts/kube-apiserver.sh build
    # exec: Ctrl-C and SIGTERM reach the sandbox itself, which stops everything it started.
    SANDBOX_STARTED_AT="$STARTED_AT" exec node --require ./sandbox/register.js sandbox/main.ts
    ;;
  dev)
    if [ -z "${API:-}" ]; then
      echo "start.sh dev: set API=<url of your Rancher>, e.g. API=https://rancher.example.com ./scripts/start.sh dev" >&2
      exit 2
    fi
    echo "Starting the dashboard dev server against $API (https://127.0.0.1:8005)"
    exec yarn dev
    ;;
esac

PORT="${PORT:-4500}"
HOST_IP="$(hostname -I 2>/dev/null | awk '{print $1}')"
PUBLIC_URL="${PUBLIC_URL:-http://${HOST_IP:-127.0.0.1}:$PORT}"
REPO="$ROOT/dist/repo"
PKG=harvester-network-monitoring
VERSION="$(node -p "require('./pkg/$PKG/package.json').version")"

node --require ./sandbox/register.js sandbox/published-repo.ts

# The published extension chart points at the git-repo catalog; served locally it must point here.
CHART_DIR="$REPO/charts/$PKG/$VERSION"
yq -i ".plugin.endpoint = \"$PUBLIC_URL/extensions/$PKG/$VERSION\" | .plugin.compressedEndpoint = \"$PUBLIC_URL/extensions/$PKG/$VERSION.tgz\"" "$CHART_DIR/values.yaml"
helm package "$CHART_DIR" -d "$REPO/assets/$PKG" >/dev/null
helm repo index "$REPO/assets" --url "$PUBLIC_URL/assets"
cp "$REPO/assets/index.yaml" "$REPO/index.yaml"

exec node scripts/serve-repo.js "$REPO" "$PORT" "$PUBLIC_URL"
