#!/usr/bin/env bash
# Main job. Sets up what it needs, then either
#   - with API=<rancher url>: runs the Rancher dashboard dev server with this extension against that Rancher, or
#   - otherwise: builds the extension and the Helm repository and serves them locally (PORT, default 4500),
#     printing the URLs a Rancher administrator uses. PUBLIC_URL overrides the advertised address.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./scripts/setup.sh --build-only
export PATH="$ROOT/.tools/bin:$PATH"

if [ -n "${API:-}" ]; then
  echo "Starting the dashboard dev server against $API (https://127.0.0.1:8005)"
  exec yarn dev
fi

PORT="${PORT:-4500}"
HOST_IP="$(hostname -I 2>/dev/null | awk '{print $1}')"
PUBLIC_URL="${PUBLIC_URL:-http://${HOST_IP:-127.0.0.1}:$PORT}"
REPO="$ROOT/dist/repo"
PKG=harvester-network-monitoring
VERSION="$(node -p "require('./pkg/$PKG/package.json').version")"

./scripts/publish-repo.sh "$REPO"

# The published extension chart points at the git-repo catalog; served locally it must point here.
CHART_DIR="$REPO/charts/$PKG/$VERSION"
yq -i ".plugin.endpoint = \"$PUBLIC_URL/extensions/$PKG/$VERSION\" | .plugin.compressedEndpoint = \"$PUBLIC_URL/extensions/$PKG/$VERSION.tgz\"" "$CHART_DIR/values.yaml"
helm package "$CHART_DIR" -d "$REPO/assets/$PKG" >/dev/null
helm repo index "$REPO/assets" --url "$PUBLIC_URL/assets"
cp "$REPO/assets/index.yaml" "$REPO/index.yaml"

exec node scripts/serve-repo.js "$REPO" "$PORT" "$PUBLIC_URL"
