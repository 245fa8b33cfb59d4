#!/usr/bin/env node
/**
 * Serves a published Helm repository (scripts/publish-repo.sh output) and the built extension
 * bundle over HTTP, and prints the URLs a Rancher administrator uses to load them.
 * Usage: node scripts/serve-repo.js <repo-dir> <port> <public-url>
 */
const path = require('path');
const express = require('express');
const serveStatic = require('serve-static');

const [repoDir, port, publicUrl] = process.argv.slice(2);

if (!repoDir || !port || !publicUrl) {
  console.error('usage: serve-repo.js <repo-dir> <port> <public-url>');
  process.exit(2);
}
const pkg = require(path.resolve(repoDir, 'pkg/harvester-network-monitoring/package.json'));
const bundle = `${ pkg.name }-${ pkg.version }`;
const app = express();

// Only the published artefacts, never the sources copied beside them.
['index.yaml', 'assets', 'extensions', 'charts', 'dist-pkg'].forEach((entry) => {
  app.use(`/${ entry }`, serveStatic(path.resolve(repoDir, entry), { fallthrough: false }));
});

app.listen(Number(port), '0.0.0.0', () => {
  console.log(`
Harvester Network Monitoring is served on port ${ port }.

In Rancher (as an administrator):
  Helm repository: Extensions > Manage Repositories > Create, target "http(s) URL", Index URL:
      ${ publicUrl }/
    then install "Harvester Network Monitoring" from Extensions > Available.
  Or, for development: Extensions > Developer Load (enable it under Preferences > Advanced), URL:
      ${ publicUrl }/dist-pkg/${ bundle }/${ bundle }.umd.min.js
The monitoring-stack chart the extension installs is in the same repository:
      ${ publicUrl }/index.yaml  (chart harvester-network-monitoring-stack)
Press Ctrl+C to stop.`);
});
