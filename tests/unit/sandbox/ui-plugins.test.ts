/**
 * The sandbox serves the extension the way Rancher does: the UIPlugin resource the published extension chart
 * renders (real `helm template` of the committed catalog's archive), /v1/uiplugins in the index shape the
 * shell's loader reads, and only the files the bundle's files.txt lists.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ServerResponse } from 'http';
import { PassThrough } from 'stream';
import { handleUiPlugins, loadPublishedExtension, uiPluginIndex } from '../../../sandbox/backend/ui-plugins';

const ROOT = path.resolve(__dirname, '../../..');
const HELM = path.join(ROOT, '.tools/bin/helm');
const PKG = require('../../../pkg/harvester-network-monitoring/package.json');

/** The committed catalog at the repository root is a published repository (scripts/publish-repo.sh). */
const extension = loadPublishedExtension(ROOT, 'harvester-network-monitoring', HELM);

interface Captured { status: number; headers: Record<string, unknown>; body: string }

/** Calls the handler with a response (a real stream) that records what it was sent. */
function request(pathname: string, list = [extension]): Promise<Captured | undefined> {
  return new Promise((resolve) => {
    const captured: Captured = { status: 0, headers: {}, body: '' };
    const sink = new PassThrough();

    Object.assign(sink, {
      writeHead(status: number, headers: Record<string, unknown>) {
        captured.status = status;
        captured.headers = headers;

        return sink;
      }
    });
    sink.on('data', (chunk: Buffer) => {
      captured.body += chunk.toString();
    });
    sink.on('end', () => resolve(captured));
    if (!handleUiPlugins(list, pathname, sink as unknown as ServerResponse)) {
      resolve(undefined);
    }
  });
}

describe('sandbox UI extension endpoints', () => {
  it('renders the UIPlugin of the published chart, cached and ready as Rancher\'s controller leaves it', () => {
    expect(extension.uiPlugin).toMatchObject({
      apiVersion: 'catalog.cattle.io/v1',
      kind:       'UIPlugin',
      metadata:   { namespace: 'cattle-ui-plugin-system' },
      spec:       {
        plugin: {
          name: PKG.name, version: PKG.version, noAuth: false, metadata: { 'catalog.cattle.io/ui-extensions-version': PKG.rancher.annotations['catalog.cattle.io/ui-extensions-version'] }
        }
      },
      status: { cacheState: 'cached', ready: true },
    });
  });

  it('lists it in /v1/uiplugins by name, in the index shape (entries, CacheState, Ready)', async() => {
    const index = uiPluginIndex([extension]);

    expect(index.entries[PKG.name]).toMatchObject({
      name: PKG.name, version: PKG.version, endpoint: expect.stringContaining(`/extensions/${ PKG.name }/${ PKG.version }`), CacheState: 'cached', Ready: true
    });
    const answer = await request('/v1/uiplugins');

    expect(answer?.status).toBe(200);
    expect(JSON.parse(answer!.body)).toEqual(index);
    expect(JSON.parse((await request('/v1/uiplugins', []))!.body)).toEqual({ entries: {} });
  });

  it('serves the UMD bundle the shell asks for, from the files the bundle lists', async() => {
    const main = `plugin/${ PKG.name }-${ PKG.version }.umd.min.js`;
    const answer = await request(`/v1/uiplugins/${ PKG.name }/${ PKG.version }/${ main }`);

    expect(answer?.status).toBe(200);
    expect(answer?.headers['content-type']).toBe('application/javascript');
    expect(answer?.body).toBe(fs.readFileSync(path.join(ROOT, 'extensions', PKG.name, PKG.version, main), 'utf8'));
  });

  it('answers 404 for files outside the list, other versions and paths that climb out', async() => {
    for (const pathname of [
      `/v1/uiplugins/${ PKG.name }/${ PKG.version }/files.txt`,
      `/v1/uiplugins/${ PKG.name }/9.9.9/plugin/${ PKG.name }-9.9.9.umd.min.js`,
      `/v1/uiplugins/${ PKG.name }/${ PKG.version }/plugin/..%2F..%2F..%2Fpackage.json`,
      `/v1/uiplugins/other/${ PKG.version }/plugin/x.js`,
    ]) {
      expect({ pathname, status: (await request(pathname))?.status }).toEqual({ pathname, status: 404 });
    }
    expect(await request('/v1/management.cattle.io.settings')).toBeUndefined();
  });
});
