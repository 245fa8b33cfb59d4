/**
 * A parser for the part of DeepFlow's querier SQL dialect the extension emits (see
 * pkg/.../domain/flows/sql.ts): SELECT tags, Fn(metric) AS a, time(time, N) AS a; FROM table;
 * WHERE with AND/OR/parentheses, =, !=, <, <=, >, >=, IN (...), exist(tag); GROUP BY; ORDER BY;
 * LIMIT/OFFSET. String literals follow the querier's tokenizer (quotes `'`, backslash escapes).
 * Anything else is a syntax error, which the mock answers with 400 as the querier does.
 */

export class SqlSyntaxError extends Error {}

type Token =
  | { kind: 'ident'; value: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'punct'; value: string };

const PUNCT = ['>=', '<=', '!=', '=', '<', '>', '(', ')', ','];

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;

  while (i < text.length) {
    const ch = text[i];

    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      let value = '';

      i++;
      for (;;) {
        if (i >= text.length) {
          throw new SqlSyntaxError('unterminated string literal');
        }
        if (text[i] === '\\' && i + 1 < text.length) {
          value += text[i + 1];
          i += 2;
        } else if (text[i] === "'") {
          i++;
          break;
        } else {
          value += text[i++];
        }
      }
      tokens.push({ kind: 'string', value });
    } else if (ch === '`') {
      const end = text.indexOf('`', i + 1);

      if (end < 0) {
        throw new SqlSyntaxError('unterminated quoted identifier');
      }
      tokens.push({ kind: 'ident', value: text.slice(i + 1, end) });
      i = end + 1;
    } else if (/[0-9]/.test(ch)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(text.slice(i)) as RegExpExecArray;

      tokens.push({ kind: 'number', value: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i)) as RegExpExecArray;

      tokens.push({ kind: 'ident', value: m[0] });
      i += m[0].length;
    } else {
      const p = PUNCT.find((candidate) => text.startsWith(candidate, i));

      if (!p) {
        throw new SqlSyntaxError(`unexpected character ${ JSON.stringify(ch) } at ${ i }`);
      }
      tokens.push({ kind: 'punct', value: p });
      i += p.length;
    }
  }

  return tokens;
}

export type SelectItem =
  | { kind: 'column'; name: string }
  | { kind: 'aggregate'; fn: string; metric: string; alias: string }
  | { kind: 'bucket'; seconds: number; alias: string };

export type Literal = string | number;

export type Condition =
  | { kind: 'and' | 'or'; parts: Condition[] }
  | { kind: 'compare'; column: string; op: string; value: Literal }
  | { kind: 'in'; column: string; values: Literal[] }
  | { kind: 'exist'; column: string };

export interface Statement {
  select: SelectItem[];
  table: string;
  where: Condition;
  groupBy: string[];
  orderBy: { column: string; dir: 'asc' | 'desc' }[];
  limit: number;
  offset: number;
}

class Parser {
  private at = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private isKeyword(word: string, offset = 0): boolean {
    const t = this.tokens[this.at + offset];

    return t?.kind === 'ident' && t.value.toUpperCase() === word;
  }

  private keyword(word: string): void {
    if (!this.isKeyword(word)) {
      throw new SqlSyntaxError(`expected ${ word }`);
    }
    this.at++;
  }

  private punct(value: string): void {
    const t = this.peek();

    if (t?.kind !== 'punct' || t.value !== value) {
      throw new SqlSyntaxError(`expected ${ value }`);
    }
    this.at++;
  }

  private isPunct(value: string): boolean {
    const t = this.peek();

    return t?.kind === 'punct' && t.value === value;
  }

  private ident(): string {
    const t = this.peek();

    if (t?.kind !== 'ident') {
      throw new SqlSyntaxError('expected an identifier');
    }
    this.at++;

    return t.value;
  }

  private number(): number {
    const t = this.peek();

    if (t?.kind !== 'number') {
      throw new SqlSyntaxError('expected a number');
    }
    this.at++;

    return t.value;
  }

  private literal(): Literal {
    const t = this.peek();

    if (t?.kind !== 'string' && t?.kind !== 'number') {
      throw new SqlSyntaxError('expected a literal');
    }
    this.at++;

    return t.value;
  }

  private list<T>(item: () => T): T[] {
    const out = [item()];

    while (this.isPunct(',')) {
      this.at++;
      out.push(item());
    }

    return out;
  }

  private selectItem(): SelectItem {
    const name = this.ident();

    if (!this.isPunct('(')) {
      return { kind: 'column', name };
    }
    this.punct('(');
    const arg = this.ident();

    if (name === 'time') {
      this.punct(',');
      const seconds = this.number();

      this.punct(')');
      this.keyword('AS');

      return { kind: 'bucket', seconds, alias: this.ident() };
    }
    this.punct(')');
    this.keyword('AS');

    return {
      kind: 'aggregate', fn: name, metric: arg, alias: this.ident()
    };
  }

  private atom(): Condition {
    if (this.isPunct('(')) {
      this.at++;
      const inner = this.orExpr();

      this.punct(')');

      return inner;
    }
    if (this.isKeyword('EXIST')) {
      this.at++;
      this.punct('(');
      const column = this.ident();

      this.punct(')');

      return { kind: 'exist', column };
    }
    const column = this.ident();

    if (this.isKeyword('IN')) {
      this.at++;
      this.punct('(');
      const values = this.list(() => this.literal());

      this.punct(')');

      return { kind: 'in', column, values };
    }
    const t = this.peek();

    if (t?.kind !== 'punct' || !['=', '!=', '<', '<=', '>', '>='].includes(t.value)) {
      throw new SqlSyntaxError(`expected an operator after ${ column }`);
    }
    this.at++;

    return {
      kind: 'compare', column, op: t.value, value: this.literal()
    };
  }

  private group(kind: 'and' | 'or', next: () => Condition): Condition {
    const parts = [next()];

    while (this.isKeyword(kind.toUpperCase())) {
      this.at++;
      parts.push(next());
    }

    return parts.length === 1 ? parts[0] : { kind, parts };
  }

  private andExpr = (): Condition => this.group('and', () => this.atom());
  private orExpr = (): Condition => this.group('or', this.andExpr);

  statement(): Statement {
    this.keyword('SELECT');
    const select = this.list(() => this.selectItem());

    this.keyword('FROM');
    const table = this.ident();

    this.keyword('WHERE');
    const where = this.orExpr();
    let groupBy: string[] = [];
    let orderBy: Statement['orderBy'] = [];
    let offset = 0;

    if (this.isKeyword('GROUP')) {
      this.at++;
      this.keyword('BY');
      groupBy = this.list(() => this.ident());
    }
    if (this.isKeyword('ORDER')) {
      this.at++;
      this.keyword('BY');
      orderBy = this.list(() => {
        const column = this.ident();
        const dir = this.isKeyword('ASC') ? 'asc' : 'desc';

        this.keyword(dir.toUpperCase());

        return { column, dir };
      });
    }
    this.keyword('LIMIT');
    const limit = this.number();

    if (this.isKeyword('OFFSET')) {
      this.at++;
      offset = this.number();
    }
    if (this.peek()) {
      throw new SqlSyntaxError('unexpected text after the statement');
    }

    return {
      select, table, where, groupBy, orderBy, limit, offset
    };
  }
}

export function parseStatement(text: string): Statement {
  return new Parser(tokenize(text)).statement();
}
