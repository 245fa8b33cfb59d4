#!/usr/bin/env bash
# Publishes the Helm repository users add to Rancher, in the layout of the official `publish-pkgs`
# GitHub flow: charts/<pkg>/<ver>/, assets/<pkg>/<pkg>-<ver>.tgz, extensions/<pkg>/<ver>/ and index.yaml.
# Both charts land in it: the extension chart and the monitoring-stack chart the extension installs.
#
# Usage: scripts/publish-repo.sh [OUT_DIR]
#   Without OUT_DIR the repository root is refreshed (what is committed for the git-repo catalog).
#   With OUT_DIR a scratch copy is published there, leaving the work tree untouched.
# Env: HNM_GITHUB_SOURCE (org/repo) and HNM_GITHUB_BRANCH: where the git-repo catalog is served from;
#      they become the extension chart's asset endpoint.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PKG=harvester-network-monitoring
STACK_CHART=harvester-network-monitoring-stack
SOURCE="${HNM_GITHUB_SOURCE:-harvester-network-monitoring/harvester-network-monitoring}"
BRANCH="${HNM_GITHUB_BRANCH:-main}"
export PATH="$ROOT/.tools/bin:$PATH"
# A production build whatever the caller's environment (the test command runs with NODE_ENV=test).
export NODE_ENV=production

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
yarn --silent publish-pkgs -s "$SOURCE" -b "$BRANCH" -f -n "$PKG"
rm -rf tmp

for chart in "$PKG" "$STACK_CHART"; do
  yq -e ".entries.\"$chart\"" index.yaml >/dev/null || { echo "index.yaml does not list $chart" >&2; exit 1; }
done
echo "Published Helm repository in $OUT (index.yaml, assets/, charts/$PKG/, extensions/$PKG/)"
