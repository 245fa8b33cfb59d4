import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
/** Build output of the e2e dashboard. Under dist/, which git, tsc and jest all ignore. */
export const E2E_BUILD_DIR = path.join(REPO_ROOT, 'dist/e2e');
export const DASHBOARD_DIR = path.join(E2E_BUILD_DIR, 'dashboard');
/** Run artifacts (screenshots, results), git-ignored; E2E_ARTIFACTS_DIR lets runs side by side keep theirs apart. */
export const ARTIFACTS_DIR = path.resolve(REPO_ROOT, process.env.E2E_ARTIFACTS_DIR || 'tmp/e2e');
export const SCREENSHOTS_DIR = path.join(ARTIFACTS_DIR, 'screenshots');
