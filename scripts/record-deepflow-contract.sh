#!/usr/bin/env bash
# Re-records the DeepFlow contract: what DeepFlow's own querier makes of every statement the extension
# can send (tests/contract/statements.ts) and of every query in the chart's Grafana dashboards
# (tests/contract/fixtures/grafana-plugin-requests.json, recorded from the DeepFlow Grafana plugin).
#
#   DEEPFLOW_TRANSLATE=<command> DEEPFLOW_REF=v7.1.8 scripts/record-deepflow-contract.sh
#
# DEEPFLOW_TRANSLATE is a command that runs DeepFlow's querier code path for POST /v1/query/ (the
# router's form handling, the SQL rewrites in engine/clickhouse ExecuteQuery, the parser and CHEngine
# translation, with the ClickHouse client call stubbed) on a local checkout of deepflowio/deepflow at
# DEEPFLOW_REF. It reads `[{id, db, data_precision, sql}]` on stdin and writes
# `[{id, ok, clickhouse_sql: [..], error, http_status, opt_status, panic}]` on stdout. The Go module proxy
# does not serve github.com/deepflowio/deepflow/server, so it is built from that checkout (see the
# closing note of the change that added this script for the build steps; it is not part of this
# repository: DeepFlow's code and programs built from it are not committed here).
#
# The recordings are facts from running DeepFlow; tests/contract/deepflow-contract.test.ts fails when
# the extension builds a statement that has no accepted recording.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
: "${DEEPFLOW_TRANSLATE:?set DEEPFLOW_TRANSLATE to the translator command (see the header)}"
REF="${DEEPFLOW_REF:-v7.1.8}"
OUT="tests/contract/fixtures/deepflow-$REF-translations.json"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

node --require ./sandbox/register.js tests/contract/export-statements.ts > "$tmp/statements.json"
node -e '
  const fs = require("fs");
  const own = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  const grafana = JSON.parse(fs.readFileSync("tests/contract/fixtures/grafana-plugin-requests.json", "utf8")).requests
    .map((r) => ({ id: r.id, db: r.db, data_precision: r.data_precision, sql: r.sql }));
  const probes = JSON.parse(fs.readFileSync("tests/contract/probes.json", "utf8")).probes
    .map((p) => ({ id: p.id, db: p.db, data_precision: p.data_precision, sql: p.sql }));
  fs.writeFileSync(process.argv[1], JSON.stringify([...own, ...grafana, ...probes]));
' "$tmp/statements.json"
# shellcheck disable=SC2086
$DEEPFLOW_TRANSLATE < "$tmp/statements.json" > "$tmp/results.json"
node -e '
  const fs = require("fs");
  const [statementsFile, resultsFile, ref, out] = process.argv.slice(1);
  const statements = JSON.parse(fs.readFileSync(statementsFile, "utf8"));
  const results = new Map(JSON.parse(fs.readFileSync(resultsFile, "utf8")).map((r) => [r.id, r]));
  const recordings = statements.map((s) => {
    const r = results.get(s.id);
    if (!r) throw new Error(`the translator returned nothing for ${ s.id }`);
    return { ...s, ok: r.ok, clickhouse_sql: r.clickhouse_sql || [], error: r.error || null, http_status: r.http_status, opt_status: r.opt_status || null, panic: !!r.panic };
  });
  const doc = {
    source: { repo: "deepflowio/deepflow", ref, path: "server/querier (router/query.go executeQuery -> service.Execute -> engine/clickhouse CHEngine.ExecuteQuery)" },
    recorded: "by scripts/record-deepflow-contract.sh: DeepFlow querier code run on each statement, ClickHouse client stubbed",
    recordings,
  };
  fs.writeFileSync(out, JSON.stringify(doc, null, 1) + "\n");
  const failed = recordings.filter((r) => !r.ok).length;
  console.log(`recorded ${ recordings.length } statements (${ failed } refused by the translator) into ${ out }`);
' "$tmp/statements.json" "$tmp/results.json" "$REF" "$OUT"
