/**
 * Runs the browser scenarios (tests/e2e/scenarios/*.e2e.ts) with Node's test runner, one file at a
 * time (they share one backend): publishes the Helm repository and builds the sandbox dashboard if their
 * sources changed, starts the sandbox backend (which serves the published UMD bundle to the dashboard's
 * extension loader, as the sandbox does) against the API server of KUBE_TEST_ENV (scripts/e2e.sh starts
 * one), and prints `e2e: N passed, N failed`. Arguments narrow the run to some scenario files.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readKubeEnv } from '../../sandbox/kube/client';
import { E2eBackend } from '../../sandbox/backend/server';
import { publishedExtension } from '../../sandbox/published-repo';
import { buildDashboard } from '../../sandbox/dashboard/build';
import { DASHBOARD_DIR, REPO_ROOT } from '../../sandbox/paths';
import { ARTIFACTS_DIR, SCREENSHOTS_DIR } from './harness/paths';

const SCENARIOS = path.join(REPO_ROOT, 'tests/e2e/scenarios');
const TAP = path.join(ARTIFACTS_DIR, 'results.tap');
/** Counts for scripts/test.sh's overall line. */
const SUMMARY = path.join(ARTIFACTS_DIR, 'summary.json');

function scenarioFiles(args: string[]): string[] {
  const all = fs.readdirSync(SCENARIOS).filter((f) => f.endsWith('.e2e.ts')).sort().map((f) => path.join(SCENARIOS, f));

  return args.length ? all.filter((f) => args.some((a) => f.includes(a))) : all;
}

function countResults(): { passed: number; failed: number } {
  const tap = fs.existsSync(TAP) ? fs.readFileSync(TAP, 'utf8') : '';
  const count = (label: string) => Number(tap.match(new RegExp(`^# ${ label } (\\d+)$`, 'm'))?.[1] ?? 0);

  return { passed: count('pass'), failed: count('fail') + count('cancelled') };
}

async function main(): Promise<number> {
  const files = scenarioFiles(process.argv.slice(2));

  if (!files.length) {
    throw new Error(`no scenario matches ${ process.argv.slice(2).join(' ') }`);
  }
  // Only what a run writes is removed: the directory itself may be one the caller chose.
  [SCREENSHOTS_DIR, TAP, SUMMARY].forEach((stale) => fs.rmSync(stale, { recursive: true, force: true }));
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const extension = await publishedExtension();
  const build = await buildDashboard();

  console.log(build.built ? `e2e dashboard built in ${ build.seconds } s` : 'e2e dashboard up to date');
  const backend = new E2eBackend({
    kubeEnv: readKubeEnv(), dashboardDir: DASHBOARD_DIR, extensions: [extension]
  });
  const url = await backend.start();

  try {
    // Asynchronous: the backend answers from this process's event loop while the scenarios run.
    const child = spawn(process.execPath, [
      '--require', path.join(REPO_ROOT, 'sandbox/register.js'),
      '--test', '--test-concurrency=1',
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${ TAP }`,
      ...files,
    ], { stdio: 'inherit', env: { ...process.env, E2E_URL: url } });
    const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const { passed, failed } = countResults();

    console.log(`\ne2e: ${ passed } passed, ${ failed } failed (screenshots in ${ path.relative(REPO_ROOT, SCREENSHOTS_DIR) })`);
    fs.writeFileSync(SUMMARY, JSON.stringify({ passed, failed }));

    return status === 0 && failed === 0 ? 0 : 1;
  } finally {
    await backend.stop();
  }
}

main().then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(1);
});
