import { finding } from './finding';
import { records, stringMap } from '../guards';
import { ObjectIndex, focusedConfigMaps } from './objects';
import {
  decodeBase64, findCredentials, isKnownDefault, isReference, isSecretEnvName
} from './secrets';
import { Finding } from './types';

/**
 * Plain-text and default credentials: literal env values of credential variables, passwords in
 * ConfigMaps (which are not secret), and well-known default passwords anywhere, Secrets included.
 * Findings name the place (object, key, variable), never the value.
 */

function envFindings(index: ObjectIndex): Finding[] {
  const out: Finding[] = [];

  for (const t of index.podTemplates) {
    if (!index.inFocus(t.namespace)) {
      continue;
    }
    for (const c of t.containers) {
      for (const e of records(c.raw.env)) {
        const name = typeof e.name === 'string' ? e.name : '';
        const value = typeof e.value === 'string' ? e.value : '';

        if (!name || !value.trim() || !isSecretEnvName(name) || isReference(value)) {
          continue;
        }
        const params = {
          workload: t.ref.name, namespace: t.namespace, container: c.name, variable: name
        };

        out.push(finding(isKnownDefault(value) ? 'exposure.defaultPasswordEnv' : 'exposure.plaintextSecretEnv', 'exposure', 'critical',
          { ...t.ref, container: c.name }, params));
      }
    }
  }

  return out;
}

function dataFindings(index: ObjectIndex): Finding[] {
  const out: Finding[] = [];

  for (const { cm, data, keys } of focusedConfigMaps(index)) {
    for (const key of keys) {
      for (const hit of findCredentials(key, data[key])) {
        const params = {
          kind: 'ConfigMap', name: cm.name, namespace: cm.namespace || '', key: hit.key
        };

        out.push(hit.knownDefault ? finding('exposure.defaultPassword', 'exposure', 'critical', cm.ref, params) : finding('exposure.configMapPassword', 'exposure', 'warning', cm.ref, params));
      }
    }
  }
  for (const secret of index.ofKind('Secret')) {
    if (!index.inFocus(secret.namespace)) {
      continue;
    }
    const encoded = stringMap(secret.raw.data);
    const plain = stringMap(secret.raw.stringData);
    const values: [string, string][] = [
      ...Object.keys(encoded).sort().map((k): [string, string | null] => [k, decodeBase64(encoded[k])])
        .filter((e): e is [string, string] => e[1] !== null),
      ...Object.keys(plain).sort().map((k): [string, string] => [k, plain[k]]),
    ];
    const reported = new Set<string>();

    for (const [key, value] of values) {
      for (const hit of findCredentials(key, value)) {
        if (hit.knownDefault && !reported.has(hit.key)) {
          reported.add(hit.key);
          out.push(finding('exposure.defaultPassword', 'exposure', 'critical', secret.ref, {
            kind: 'Secret', name: secret.name, namespace: secret.namespace || '', key: hit.key
          }));
        }
      }
    }
  }

  return out;
}

export function reviewCredentials(index: ObjectIndex): Finding[] {
  return [...envFindings(index), ...dataFindings(index)];
}
