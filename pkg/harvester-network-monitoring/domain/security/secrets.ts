/**
 * Detection of passwords kept in plain text. Values are only compared, never copied into findings.
 */
export const KNOWN_DEFAULT_PASSWORDS = ['deepflow', 'admin', 'root', 'password', 'changeme'];

/** Names of settings that hold a credential: MYSQL_PASSWORD, user-password, admin_password, api-token, ... */
const SECRET_NAME = /(pass(word|wd)?|pwd|secret|token|credential)/i;
/** Settings that point at a credential instead of holding it (GF_SECURITY_ADMIN_PASSWORD__FILE, *_FILE). */
const INDIRECT_NAME = /(_file|__file|-file|_path|-path)$/i;
/** Settings about a credential rather than holding one: secretName, existingSecret, token_ttl, password_policy, ... */
const DESCRIPTIVE_NAME = /(name|ref|url|uri|file|path|type|ttl|expiry|expiration|timeout|length|header|enabled|mode|policy|id|minutes|hours|days|seconds)$|^existing/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !INDIRECT_NAME.test(name) && !DESCRIPTIVE_NAME.test(name);
}

/** Booleans and plain numbers are settings, not passwords (e.g. `password_hash_iterations: 10`). */
function isSettingValue(value: string): boolean {
  return /^(true|false|yes|no|on|off|null|~|-?\d+)$/i.test(value);
}

/** Environment variable names the review treats as credentials (PASSWORD, SECRET or TOKEN in the name). */
export function isSecretEnvName(name: string): boolean {
  return /(PASSWORD|PASSWD|SECRET|TOKEN)/i.test(name) && !INDIRECT_NAME.test(name);
}

/**
 * Placeholders and references are not literal secrets: ${VAR}, $VAR, $(VAR), {{ .Values.x }},
 * $__file{...}, __MYSQL_PASSWORD__ (substituted at start-up), <set-me>.
 */
export function isReference(value: string): boolean {
  const v = value.trim();

  return /^\$\{[^}]*\}$/.test(v) || /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v) || /^\$\([^)]*\)$/.test(v) || /^\{\{.*\}\}$/.test(v) ||
    /^\$__(file|env|vault)\{/.test(v) || /^__[A-Z0-9_]+__$/.test(v) || /^<[^<>]*>$/.test(v);
}

export function isKnownDefault(value: string): boolean {
  return KNOWN_DEFAULT_PASSWORDS.includes(value.trim().toLowerCase());
}

/** Strips matching quotes and a trailing comment from a config value. */
function cleanValue(raw: string): string {
  let v = raw.trim();

  if ((v.startsWith('"') && v.endsWith('"') && v.length >= 2) || (v.startsWith("'") && v.endsWith("'") && v.length >= 2)) {
    return v.slice(1, -1);
  }
  const hash = v.search(/\s[#;]/);

  if (hash >= 0) {
    v = v.slice(0, hash).trim();
  }

  return v;
}

export interface CredentialHit {
  /** The setting's name (a key of the data map, or `key/setting` inside a config file). */
  key: string;
  knownDefault: boolean;
}

const MAX_SCAN_LENGTH = 512 * 1024;

/**
 * Credentials written out in a data value: the value itself when its key names a secret, and
 * `name: value` / `name = value` / `NAME=value` lines of a config file stored under any key.
 */
export function findCredentials(key: string, value: string): CredentialHit[] {
  const hits: CredentialHit[] = [];

  if (value.length > MAX_SCAN_LENGTH) {
    return hits;
  }
  const single = !value.includes('\n');

  if (single && isSecretName(key)) {
    const v = cleanValue(value);

    if (v && !isReference(v) && !isSettingValue(v)) {
      hits.push({ key, knownDefault: isKnownDefault(v) });
    }

    return hits;
  }
  for (const line of value.split('\n')) {
    const m = /^\s*(?:-\s+)?["']?([A-Za-z0-9_.-]+)["']?\s*[:=]\s*(.*)$/.exec(line);

    if (!m || !isSecretName(m[1])) {
      continue;
    }
    const v = cleanValue(m[2]);

    if (v && !isReference(v) && !isSettingValue(v) && v !== '|' && v !== '>') {
      hits.push({ key: `${ key }/${ m[1] }`, knownDefault: isKnownDefault(v) });
    }
  }

  return hits;
}

/** Decodes base64 Secret data; null when the value is not valid base64 or not text. */
export function decodeBase64(value: string): string | null {
  const compact = value.replace(/\s+/g, '');

  if (compact.length > MAX_SCAN_LENGTH || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    return null;
  }
  try {
    const binary = atob(compact);
    const bytes = new Uint8Array(binary.length);

    for (let i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }

    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
