import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..');
/** Build output of the sandbox dashboard. Under dist/, which git, tsc and jest all ignore. */
export const SANDBOX_BUILD_DIR = path.join(REPO_ROOT, 'dist/sandbox');
export const DASHBOARD_DIR = path.join(SANDBOX_BUILD_DIR, 'dashboard');
