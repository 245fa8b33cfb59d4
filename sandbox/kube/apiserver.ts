/**
 * Starts and stops one instance of the real kube-apiserver (and its etcd) through scripts/kube-apiserver.sh,
 * so the sandbox, the browser tests and the k8s suite share one way of running it. Each instance has its own
 * run directory (KUBE_RUN_DIR): instances side by side never touch each other's processes.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../paths';

const SCRIPT = path.join(REPO_ROOT, 'scripts/kube-apiserver.sh');

/** Harvester's Service range (what the seeded Services' cluster IPs are in). */
export const HARVESTER_SERVICE_CIDR = '10.53.0.0/16';

export interface KubeInstance {
  runDir: string;
  /** The env file `kube-apiserver.sh start` wrote (KUBE_TEST_ENV). */
  envFile: string;
}

function runScript(command: 'start' | 'stop', runDir: string): { done: Promise<string>; cancel: () => void } {
  const child = spawn(SCRIPT, [command], {
    env:   { ...process.env, KUBE_RUN_DIR: runDir, KUBE_SERVICE_CIDR: HARVESTER_SERVICE_CIDR },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';

  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  const done = new Promise<string>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve(stdout.trim()) : reject(new Error(`scripts/kube-apiserver.sh ${ command } failed (${ signal || code }); its logs are in ${ runDir }`))));
  });

  // The script's own INT/TERM trap stops whatever it already started.
  return { done, cancel: () => child.kill('SIGTERM') };
}

/** Starts an instance in runDir; `cancel` (e.g. on Ctrl-C) interrupts a start in progress. */
export function startKube(runDir: string): { ready: Promise<KubeInstance>; cancel: () => void } {
  const run = runScript('start', runDir);

  return { ready: run.done.then((envFile) => ({ runDir, envFile })), cancel: run.cancel };
}

/** Stops both processes of the instance (safe when they are not running) and removes its run directory. */
export async function stopKube(runDir: string, { keepLogs = false } = {}): Promise<void> {
  await runScript('stop', runDir).done;
  if (!keepLogs) {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}
