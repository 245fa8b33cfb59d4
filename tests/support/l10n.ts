/**
 * Translates with the extension's real en-us.yaml and the same ICU formatter Rancher uses, and
 * fails the test on a missing key, so component tests prove every string is in l10n.
 */
import fs from 'fs';
import path from 'path';
import { load } from 'js-yaml';
import IntlMessageFormat from 'intl-messageformat';

const FILE = path.join(__dirname, '../../pkg/harvester-network-monitoring/l10n/en-us.yaml');

let strings: Record<string, unknown> | undefined;

function lookup(key: string): unknown {
  strings = strings || (load(fs.readFileSync(FILE, 'utf8')) as Record<string, unknown>);

  // Rancher quotes key segments that contain dots, e.g. nav.group."networkMonitoring".
  return key.split('.').map((seg) => seg.replace(/^"(.*)"$/, '$1')).reduce<unknown>(
    (node, seg) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined), strings);
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
