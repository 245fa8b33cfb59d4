/**
 * A small reference tokenizer for the querier's SQL dialect, written for the tests: it follows the
 * MySQL-style rules of the parser DeepFlow uses (single-quoted strings with backslash escapes and
 * doubled quotes, backtick identifiers, `--` and `/* *\/` comments, `;` statement separators).
 */
export type TokenType = 'string' | 'ident' | 'quoted-ident' | 'number' | 'op' | 'comment' | 'separator' | 'unknown';

export interface Token {
  type: TokenType;
  /** Decoded value for strings and quoted identifiers, raw text otherwise. */
  value: string;
}

const ESCAPES: Record<string, string> = {
  0: '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a',
};

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;

  while (i < sql.length) {
    const ch = sql[i];

    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '\'' || ch === '"') {
      let value = '';
      let closed = false;

      i++;
      while (i < sql.length) {
        const c = sql[i];

        if (c === '\\') {
          const next = sql[i + 1];

          if (next === undefined) {
            break;
          }
          value += ESCAPES[next] ?? next;
          i += 2;
        } else if (c === ch && sql[i + 1] === ch) {
          value += ch;
          i += 2;
        } else if (c === ch) {
          closed = true;
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
      tokens.push({ type: closed ? 'string' : 'unknown', value });
    } else if (ch === '`') {
      const end = sql.indexOf('`', i + 1);

      tokens.push(end < 0 ? { type: 'unknown', value: sql.slice(i) } : { type: 'quoted-ident', value: sql.slice(i + 1, end) });
      i = end < 0 ? sql.length : end + 1;
    } else if (sql.startsWith('--', i) || ch === '#') {
      const end = sql.indexOf('\n', i);

      tokens.push({ type: 'comment', value: sql.slice(i, end < 0 ? sql.length : end) });
      i = end < 0 ? sql.length : end;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);

      tokens.push({ type: 'comment', value: sql.slice(i, end < 0 ? sql.length : end + 2) });
      i = end < 0 ? sql.length : end + 2;
    } else if (ch === ';') {
      tokens.push({ type: 'separator', value: ';' });
      i++;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(sql.slice(i)) as RegExpExecArray;

      tokens.push({ type: 'ident', value: m[0] });
      i += m[0].length;
    } else if (/[0-9]/.test(ch)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(sql.slice(i)) as RegExpExecArray;

      tokens.push({ type: 'number', value: m[0] });
      i += m[0].length;
    } else {
      const two = sql.slice(i, i + 2);

      if (['>=', '<=', '!=', '<>'].includes(two)) {
        tokens.push({ type: 'op', value: two });
        i += 2;
      } else if ('=<>(),*+-/'.includes(ch)) {
        tokens.push({ type: 'op', value: ch });
        i++;
      } else {
        tokens.push({ type: 'unknown', value: ch });
        i++;
      }
    }
  }

  return tokens;
}
