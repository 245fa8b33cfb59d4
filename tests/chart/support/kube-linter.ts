/** Runs kube-linter with the committed config (charts/kube-linter.yaml) over rendered manifests. */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import { REPO_ROOT, TOOLS_BIN } from '../../support/helm';

export const KUBE_LINTER = path.join(TOOLS_BIN, 'kube-linter');
export const KUBE_LINTER_CONFIG = path.join(REPO_ROOT, 'charts/kube-linter.yaml');

export interface LintReport {
  ok: boolean;
  /** "Kind namespace/name: check: message" per finding. */
  findings: string[];
  raw: string;
}

export function kubeLinter(manifests: string, config = KUBE_LINTER_CONFIG): LintReport {
  const dir = mkdtempSync(path.join(tmpdir(), 'hnm-kube-linter-'));

  try {
    writeFileSync(path.join(dir, 'manifests.yaml'), manifests);
    const r = spawnSync(KUBE_LINTER, ['lint', '--config', config, '--format', 'json', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const report = JSON.parse(r.stdout || '{}');
    const findings = (report.Reports || []).map((f: any) => {
      const obj = f.Object?.K8sObject || {};

      return `${ obj.GroupVersionKind?.Kind } ${ obj.Namespace ? `${ obj.Namespace }/` : '' }${ obj.Name }: ${ f.Check }: ${ f.Diagnostic?.Message }`;
    });

    return { ok: r.status === 0 && findings.length === 0, findings, raw: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
