#!/usr/bin/env node
/**
 * Records the tag and metric names DeepFlow's querier describes for the tables the extension queries, from its
 * description files (server/querier/db_descriptions/clickhouse/{tag,metrics}/<db>/<table>: the querier loads them
 * at start, engine/clickhouse/tag/description.go LoadTagDescriptions and metrics/metrics.go), into
 * tests/contract/fixtures/deepflow-<ref>-names.json. The querier stand-in checks statements against it.
 *
 *   DEEPFLOW_GIT_DIR=<a clone or mirror of deepflowio/deepflow> DEEPFLOW_REF=v7.1.8 node scripts/record-deepflow-names.js
 *
 * Tag names are a description line's client and server names (`ip_0`/`ip_1` on the two-ended tables, `ip` on
 * `network`), as the querier's `show tags` lists them; metric names its field names.
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const gitDir = process.env.DEEPFLOW_GIT_DIR;
const ref = process.env.DEEPFLOW_REF || 'v7.1.8';

if (!gitDir) {
  console.error('set DEEPFLOW_GIT_DIR to a clone or mirror of deepflowio/deepflow (see the header)');
  process.exit(1);
}
const git = (...args) => execFileSync('git', [`--git-dir=${ gitDir }`, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
/** The release tag when there is one (a mirror may also have a branch of that name), else the ref as given. */
const resolve = (name) => git('rev-parse', '--verify', `${ name }^{commit}`).trim();
let commit;

try {
  commit = resolve(`refs/tags/${ ref }`);
} catch {
  commit = resolve(ref);
}
const TABLES = { network: 'flow_metrics', network_map: 'flow_metrics', l4_flow_log: 'flow_log' };
const ROOT = 'server/querier/db_descriptions/clickhouse';

/** The description lines of one file: comma-separated cells, trimmed; comments and empty lines left out. */
function lines(kind, db, table) {
  return git('show', `${ commit }:${ ROOT }/${ kind }/${ db }/${ table }`).split('\n')
    .filter((line) => line.trim() && !line.trim().startsWith('#'))
    .map((line) => line.split(',').map((cell) => cell.trim()));
}

const tables = {};

for (const [table, db] of Object.entries(TABLES)) {
  const tags = new Set(lines('tag', db, table).flatMap(([, client, server]) => [client, server]).filter(Boolean));
  const metrics = new Set(lines('metrics', db, table).map(([field]) => field).filter(Boolean));

  tables[table] = { db, tags: [...tags].sort(), metrics: [...metrics].sort() };
}
const out = path.join(__dirname, '..', 'tests', 'contract', 'fixtures', `deepflow-${ ref }-names.json`);

fs.writeFileSync(out, `${ JSON.stringify({
  source: {
    repo: 'deepflowio/deepflow', ref, commit, paths: Object.entries(TABLES).flatMap(([table, db]) => ['tag', 'metrics'].map((kind) => `${ ROOT }/${ kind }/${ db }/${ table }`)),
  },
  tables,
}, null, 2) }\n`);
console.log(`recorded the tags and metrics of ${ Object.keys(tables).join(', ') } at ${ ref } (${ commit.slice(0, 12) }) into ${ path.relative(process.cwd(), out) }`);
