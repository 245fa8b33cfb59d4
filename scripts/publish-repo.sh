#!/usr/bin/env bash
# Publishes the Helm repository users add to Rancher, in the layout of the official `publish-pkgs`
# GitHub flow: charts/<pkg>/<ver>/, assets/<pkg>/<pkg>-<ver>.tgz, extensions/<pkg>/<ver>/ and index.yaml.
# Both charts land in it: the extension chart and the monitoring-stack chart the extension installs.
#
# Usage: scripts/publish-repo.sh [OUT_DIR]
#   Without OUT_DIR the repository root is refreshed (what is committed for the git-repo catalog).
#   With OUT_DIR a scratch copy is published there, leaving the work tree untouched.
# Env: HNM_REPO_URL, the one setting for every URL in the catalog (README, "Catalog URLs"): the GitHub
#      repository this catalog is pushed to, https://github.com/<org>/<repo>. The extension chart's plugin
#      endpoint, icon, home and sources are made from it (and HNM_REPO_BRANCH, default main). Unset, the chart
#      carries no URL at all and refuses to install until its plugin.endpoint is set (scripts/start.sh sets
#      the address it serves).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PKG=harvester-network-monitoring
STACK_CHART=harvester-network-monitoring-stack
REPO_URL="${HNM_REPO_URL:-}"
BRANCH="${HNM_REPO_BRANCH:-main}"
SOURCE=""
if [ -n "$REPO_URL" ]; then
  # The shell's publish-pkgs serves the bundle from raw.githubusercontent.com, so only GitHub repositories work.
  if [[ ! "$REPO_URL" =~ ^https://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)$ ]]; then
    echo "publish-repo: HNM_REPO_URL=$REPO_URL is not a GitHub repository URL; set it to https://github.com/<org>/<repo> (no .git, no trailing slash) or leave it unset" >&2
    exit 2
  fi
  SOURCE="${BASH_REMATCH[1]}/${BASH_REMATCH[2]}"
fi
if [[ ! "$BRANCH" =~ ^[A-Za-z0-9_./-]+$ ]]; then
  echo "publish-repo: HNM_REPO_BRANCH=$BRANCH is not a branch name; use letters, digits, '.', '_', '-' and '/'" >&2
  exit 2
fi
export PATH="$ROOT/.tools/bin:$PATH"
# A production build whatever the caller's environment (the test command runs with NODE_ENV=test).
export NODE_ENV=production
# Without the two flags a Jest worker leaks into builds (scripts/build-env.js says why).
unset VUE_CLI_BABEL_TRANSPILE_MODULES VUE_CLI_BABEL_TARGET_NODE

OUT="${1:-$ROOT}"
if [ "$OUT" != "$ROOT" ]; then
  # Only a folder this script made before (it leaves a marker) or an empty/missing one is replaced:
  # a mistyped OUT_DIR must never delete someone's files.
  if [ -e "$OUT" ] && [ ! -e "$OUT/.hnm-published-repo" ] && [ -n "$(ls -A "$OUT" 2>/dev/null)" ]; then
    echo "publish-repo: $OUT exists and was not made by this script; choose an empty or new folder" >&2
    exit 2
  fi
  rm -rf "$OUT" && mkdir -p "$OUT/charts" && touch "$OUT/.hnm-published-repo"
  cp -R "$ROOT/package.json" "$ROOT/yarn.lock" "$ROOT/.yarnrc" "$ROOT/babel.config.js" "$ROOT/vue.config.js" "$ROOT/tsconfig.json" "$ROOT/pkg" "$OUT/"
  cp -R "$ROOT/charts/$STACK_CHART" "$OUT/charts/"
  ln -s "$ROOT/node_modules" "$OUT/node_modules"
  # publish-pkgs reads the git origin; a scratch copy is its own repository.
  git -C "$OUT" init -q
fi
cd "$OUT"

# Start from the sources only, so every published file comes from this run.
rm -rf index.yaml assets extensions "charts/$PKG" tmp dist-pkg

mkdir -p "assets/$STACK_CHART"
helm package "charts/$STACK_CHART" -d "assets/$STACK_CHART" >/dev/null

# -n: skip the Chart.yaml update check of old packages (it needs macOS md5); -f: always build.
# With an empty -s the shell neither fetches nor merges a remote index.yaml.
yarn --silent publish-pkgs -s "$SOURCE" -b "$BRANCH" -f -n "$PKG"
rm -rf tmp

# The shell's chart template (@rancher/shell 3.0.8 scripts/extension/helm/charts/ui-plugin-server/Chart.yaml)
# says `catalog.cattle.io/certified: rancher`, which marks Rancher's own extensions: with it the Extensions page
# drops the "Third-Party" label and the install dialog its "not certified" warning (shell
# pages/c/_cluster/uiplugins/index.vue, dialog/InstallExtensionDialog.vue). Without it the extension is
# shown as third-party, which is what it is (rancher/capi-ui-extension#147).
VERSION="$(jq -r .version "pkg/$PKG/package.json")"
CHART_DIR="charts/$PKG/$VERSION"
yq -i 'del(.annotations."catalog.cattle.io/certified")' "$CHART_DIR/Chart.yaml"
if [ -n "$SOURCE" ]; then
  RAW="https://raw.githubusercontent.com/$SOURCE/$BRANCH"
  REPO_URL="$REPO_URL" RAW="$RAW" PKG="$PKG" yq -i '.icon = strenv(RAW) + "/pkg/" + strenv(PKG) + "/icon.svg" | .home = strenv(REPO_URL) | .sources = [strenv(REPO_URL)]' "$CHART_DIR/Chart.yaml"
else
  # No address known: no URL at all. The Extensions page then shows the shell's generic extension icon
  # (pages/c/_cluster/uiplugins/index.vue: plugin.icon || defaultIcon); once loaded, the bundled icon
  # (index.ts) is used. An empty endpoint would install a UIPlugin Rancher cannot load, so the chart
  # refuses to render without one.
  yq -i 'del(.icon) | del(.home) | del(.sources)' "$CHART_DIR/Chart.yaml"
  yq -i '.plugin.endpoint = "" | .plugin.compressedEndpoint = ""' "$CHART_DIR/values.yaml"
  sed -i 's#endpoint: {{ .Values.plugin.endpoint | quote }}#endpoint: {{ required "plugin.endpoint is not set: this catalog was published without HNM_REPO_URL. Republish it with HNM_REPO_URL (README, Catalog URLs) or set plugin.endpoint to where extensions/'"$PKG/$VERSION"' is served" .Values.plugin.endpoint | quote }}#' "$CHART_DIR/templates/cr.yaml"
  grep -q 'required "plugin.endpoint' "$CHART_DIR/templates/cr.yaml" || { echo "publish-repo: the shell's UIPlugin template changed; update the endpoint guard in this script" >&2; exit 1; }
fi
# Repackage the edited chart and index both charts again, from this run's archives only.
rm -f "assets/$PKG/$PKG-$VERSION.tgz" index.yaml assets/index.yaml
helm package "$CHART_DIR" -d "assets/$PKG" >/dev/null
helm repo index assets --url assets/
cp assets/index.yaml index.yaml

for chart in "$PKG" "$STACK_CHART"; do
  yq -e ".entries.\"$chart\"" index.yaml >/dev/null || { echo "index.yaml does not list $chart" >&2; exit 1; }
done
echo "Published Helm repository in $OUT (index.yaml, assets/, charts/$PKG/, extensions/$PKG/)"
