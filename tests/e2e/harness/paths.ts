import * as path from 'path';
import { REPO_ROOT } from '../../../sandbox/paths';

/** Run artifacts (screenshots, results), git-ignored; E2E_ARTIFACTS_DIR lets runs side by side keep theirs apart. */
export const ARTIFACTS_DIR = path.resolve(REPO_ROOT, process.env.E2E_ARTIFACTS_DIR || 'tmp/e2e');
export const SCREENSHOTS_DIR = path.join(ARTIFACTS_DIR, 'screenshots');
