/**
 * The chart bundled into the extension for air-gapped installs must be the chart in this repository.
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { load } from 'js-yaml';
import bundle from '@pkg/generated/chart-bundle.json';

const ROOT = path.resolve(__dirname, '../..');
const CHART = path.join(ROOT, 'charts/harvester-network-monitoring-stack');

function filesUnder(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);

    return e.isDirectory() ? filesUnder(full, base) : [path.relative(base, full)];
  }).sort();
}

/**
 * What must be the same in the packed and the source copy of a file: helm package rewrites Chart.yaml in its
 * own formatting, so its content; every other file byte for byte (as a digest, so a failure stays readable).
 */
function comparable(file: string, bytes: Buffer): unknown {
  return file === 'Chart.yaml' ? load(bytes.toString()) : { sha256: createHash('sha256').update(bytes).digest('hex') };
}

describe('bundled chart', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hnm-bundled-'));

  beforeAll(() => {
    fs.writeFileSync(path.join(dir, 'chart.tgz'), Buffer.from(bundle.tgzBase64, 'base64'));
    execFileSync('tar', ['xzf', 'chart.tgz'], { cwd: dir });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('has the chart name and version of the source', () => {
    const chartYaml = fs.readFileSync(path.join(CHART, 'Chart.yaml'), 'utf8');

    expect(chartYaml).toContain(`name: ${ bundle.name }`);
    expect(chartYaml).toContain(`version: ${ bundle.version }`);
  });

  it('holds exactly the files of charts/harvester-network-monitoring-stack (run scripts/bundle-chart.js when this fails)', () => {
    const extracted = path.join(dir, bundle.name);
    const source = filesUnder(CHART);

    expect(filesUnder(extracted)).toEqual(source);
    source.forEach((f) => {
      const [packed, original] = [path.join(extracted, f), path.join(CHART, f)].map((p) => comparable(f, fs.readFileSync(p)));

      expect({ file: f, content: packed }).toEqual({ file: f, content: original });
    });
  });
});
