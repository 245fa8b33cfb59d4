/**
 * Translates with the extension's real en-us.yaml and the same ICU formatter Rancher uses, and
 * fails the test on a missing key, so component tests prove every string is in l10n. Keys outside
 * our `networkMonitoring` tree (e.g. the shell's own `asyncButton.*`, used by its components) come
 * from the shell's en-us.yaml, as in the dashboard.
 */
import fs from 'fs';
import path from 'path';
import { load } from 'js-yaml';
import IntlMessageFormat from 'intl-messageformat';

const FILE = path.join(__dirname, '../../pkg/harvester-network-monitoring/l10n/en-us.yaml');
const SHELL_FILE = require.resolve('@rancher/shell/assets/translations/en-us.yaml');

let strings: Record<string, unknown> | undefined;
let shellStrings: Record<string, unknown> | undefined;

function find(key: string, tree: Record<string, unknown>): unknown {
  // Rancher quotes key segments that contain dots, e.g. nav.group."networkMonitoring".
  return key.split('.').map((seg) => seg.replace(/^"(.*)"$/, '$1')).reduce<unknown>(
    (node, seg) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined), tree);
}

function lookup(key: string): unknown {
  strings = strings || (load(fs.readFileSync(FILE, 'utf8')) as Record<string, unknown>);
  const own = find(key, strings);

  if (own !== undefined || key.startsWith('networkMonitoring.')) {
    return own;
  }
  shellStrings = shellStrings || (load(fs.readFileSync(SHELL_FILE, 'utf8')) as Record<string, unknown>);

  return find(key, shellStrings);
}

export function hasKey(key: string): boolean {
  return typeof lookup(key) === 'string';
}

export function translate(key: string, args?: Record<string, unknown>): string {
  const msg = lookup(key);

  if (typeof msg !== 'string') {
    throw new Error(`missing l10n key: ${ key }`);
  }

  return String(new IntlMessageFormat(msg, 'en-US').format(args as Record<string, string>));
}
