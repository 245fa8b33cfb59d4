/**
 * Rancher's UI extension endpoints over a published Helm repository (scripts/publish-repo.sh output), so the
 * dashboard loads the artefact users install, through the shell's own plugin loader (@rancher/shell 3.0.8
 * plugins/plugin.js: GET /v1/uiplugins, then core/extension-manager-impl.js loadPluginAsync:
 * /v1/uiplugins/<name>/<version>/plugin/<name>-<version>.umd.min.js).
 *
 * What Rancher does, and this follows (rancher/rancher pkg/controllers/dashboard/plugin, v2.9+):
 * - installing the extension chart creates the UIPlugin resource its templates/cr.yaml renders; here the
 *   published chart archive is rendered with the real `helm template`;
 * - controller.go caches the plugin's files and sets status cacheState "cached" and ready;
 * - index.go serves /v1/uiplugins as {entries: {<name>: {...spec.plugin, CacheState, Ready}}};
 * - fscache.go fetches the files listed in <endpoint>/files.txt and serves them under
 *   /v1/uiplugins/<name>/<version>/<file>. The chart is installed with plugin.endpoint set to the repository's
 *   extensions/<name>/<version> folder (as a file: URL), as scripts/start.sh's repo mode sets it to the address
 *   it serves; the files are read from there.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ServerResponse } from 'http';
import { fileURLToPath, pathToFileURL } from 'url';
import * as jsyaml from 'js-yaml';
import { JsonObject, isRecord, sendJson, sendText } from './http';

export const UI_PLUGIN_NAMESPACE = 'cattle-ui-plugin-system';

export interface PublishedExtension {
  /** The UIPlugin resource, as Rancher's controller leaves it once the files are cached. */
  uiPlugin: JsonObject;
  /** extensions/<name>/<version> of the repository: what the UIPlugin's endpoint points at. */
  filesDir: string;
  /** The files Rancher caches (files.txt), relative to filesDir. */
  files: Set<string>;
  /** The published repository's index.yaml, as Rancher answers a ClusterRepo's `index` link (JSON). */
  repoIndex: JsonObject;
}

/** The packaged chart of `pkg` in the repository's index (its newest version). */
function readIndex(repoDir: string): JsonObject {
  return jsyaml.load(fs.readFileSync(path.join(repoDir, 'index.yaml'), 'utf8')) as JsonObject;
}

function chartArchive(repoDir: string, pkg: string): { file: string; version: string } {
  const index = readIndex(repoDir);
  const entry = index?.entries?.[pkg]?.[0];
  const url = entry?.urls?.[0];

  if (typeof url !== 'string' || typeof entry.version !== 'string') {
    throw new Error(`${ repoDir }/index.yaml lists no chart ${ pkg }: publish the repository first (scripts/publish-repo.sh ${ repoDir })`);
  }
  const file = path.join(repoDir, 'assets', pkg, path.basename(url));

  if (!fs.existsSync(file)) {
    throw new Error(`${ file } is missing although index.yaml lists it: publish the repository again (scripts/publish-repo.sh ${ repoDir })`);
  }

  return { file, version: entry.version };
}

/** Renders the extension chart like an install into cattle-ui-plugin-system and returns its UIPlugin. */
function renderUiPlugin(pkg: string, archive: string, endpoint: string, helm: string): JsonObject {
  const manifest = execFileSync(helm, [
    'template', pkg, archive, '--namespace', UI_PLUGIN_NAMESPACE, '--set-string', `plugin.endpoint=${ endpoint }`, '--set-string', `plugin.compressedEndpoint=${ endpoint }.tgz`,
  ], { encoding: 'utf8' });
  const plugin = jsyaml.loadAll(manifest).find((doc) => isRecord(doc) && doc.kind === 'UIPlugin') as JsonObject | undefined;

  if (!plugin?.spec?.plugin?.name || !plugin.spec.plugin.version) {
    throw new Error(`the chart ${ archive } renders no UIPlugin with a name and version`);
  }

  return plugin;
}

export function loadPublishedExtension(repoDir: string, pkg: string, helm = 'helm'): PublishedExtension {
  const archive = chartArchive(repoDir, pkg);
  const rendered = renderUiPlugin(pkg, archive.file, pathToFileURL(path.join(repoDir, 'extensions', pkg, archive.version)).href, helm);
  const { name, version } = rendered.spec.plugin;
  const filesDir = fileURLToPath(rendered.spec.plugin.endpoint);
  const list = path.join(filesDir, 'files.txt');

  if (!fs.existsSync(list)) {
    throw new Error(`${ list } is missing: the repository has no bundle for ${ name } ${ version }; publish it again`);
  }
  const files = new Set(fs.readFileSync(list, 'utf8').split('\n').map((f) => f.trim()).filter(Boolean));

  return {
    uiPlugin: {
      ...rendered,
      metadata: {
        ...rendered.metadata, creationTimestamp: new Date().toISOString(), generation: 1, annotations: rendered.metadata?.annotations || {}
      },
      status: {
        cacheState: rendered.spec.plugin.noCache ? 'disabled' : 'cached', ready: true, error: '', observedGeneration: 1
      },
    },
    filesDir,
    files,
    repoIndex: JSON.parse(JSON.stringify(readIndex(repoDir))),
  };
}

/** index.go SafeIndex: entries by plugin name. */
export function uiPluginIndex(extensions: PublishedExtension[]): JsonObject {
  return {
    entries: Object.fromEntries(extensions.map(({ uiPlugin }) => [uiPlugin.spec.plugin.name, {
      ...uiPlugin.spec.plugin, CacheState: uiPlugin.status.cacheState, Ready: uiPlugin.status.ready
    }])),
  };
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'application/javascript', '.map': 'application/json', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.css': 'text/css'
};

/** `/v1/uiplugins` and `/v1/uiplugins/<name>/<version>/<file>`; false for any other path. */
export function handleUiPlugins(extensions: PublishedExtension[], pathname: string, res: ServerResponse): boolean {
  if (pathname === '/v1/uiplugins' || pathname === '/v1/uiplugins/') {
    sendJson(res, 200, uiPluginIndex(extensions));

    return true;
  }
  const match = /^\/v1\/uiplugins\/([^/]+)\/([^/]+)\/(.+)$/.exec(pathname);

  if (!match) {
    return false;
  }
  const [, name, version, file] = match.map(decodeURIComponent);
  const extension = extensions.find((e) => e.uiPlugin.spec.plugin.name === name && e.uiPlugin.spec.plugin.version === version);

  if (!extension || !extension.files.has(file)) {
    sendText(res, 404, `${ name } ${ version } has no file ${ file }\n`);

    return true;
  }
  res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-cache' });
  fs.createReadStream(path.join(extension.filesDir, file)).pipe(res);

  return true;
}
