/**
 * Runs the e2e backend by hand, against the API server of `scripts/kube-apiserver.sh start`:
 *   KUBE_TEST_ENV=<env file> node -r ./sandbox/register.js sandbox/backend/main.ts [port] [--installed]
 */
import { readKubeEnv } from '../kube/client';
import { DASHBOARD_DIR } from '../paths';
import { E2eBackend } from './server';

async function main(): Promise<void> {
  const port = Number(process.argv.find((a) => /^\d+$/.test(a)) || 0);
  const backend = new E2eBackend({ kubeEnv: readKubeEnv(), dashboardDir: DASHBOARD_DIR, port });
  const url = await backend.start();

  if (process.argv.includes('--installed')) {
    await backend.installStack();
  }
  console.log(`e2e backend at ${ url }`);
  const stop = () => backend.stop().then(() => process.exit(0));

  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
