/**
 * A parser for the part of DeepFlow's querier SQL dialect the extension emits (see
 * pkg/.../domain/flows/sql.ts): SELECT tags, Fn(metric) AS a, time(time, N) AS a; FROM table;
 * WHERE with AND/OR/parentheses, =, !=, <, <=, >, >=, IN (...), exist(tag); GROUP BY; ORDER BY;
 * LIMIT/OFFSET. Tokens come from the reference tokenizer (sql-tokenizer.ts).
 * Anything else is a syntax error, which the stand-in answers as the querier does (HTTP 500, OPT_STATUS FAIL).
 * `IN (...)` parses, but querier.ts refuses it on ip columns with more than one value, as ClickHouse does.
 */

import { tokenize as tokenizeSql } from './sql-tokenizer';

export class SqlSyntaxError extends Error {}

type Token =
  | { kind: 'ident'; value: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'punct'; value: string };

const PUNCT = ['>=', '<=', '!=', '=', '<', '>', '(', ')', ','];

/** The tests' reference tokenizer (MySQL-style, as DeepFlow's parser), narrowed to what this parser accepts. */
export function tokenize(text: string): Token[] {
  return tokenizeSql(text).map((t): Token => {
    switch (t.type) {
    case 'string':
      return { kind: 'string', value: t.value };
    case 'ident':
    case 'quoted-ident':
      return { kind: 'ident', value: t.value };
    case 'number':
      return { kind: 'number', value: Number(t.value) };
    case 'op':
      if (PUNCT.includes(t.value)) {
        return { kind: 'punct', value: t.value };
      }
      break;
    }
    // 'unknown' is an unterminated string or identifier, or a character outside the dialect.
    throw new SqlSyntaxError(`unexpected ${ t.type } ${ JSON.stringify(t.value) }`);
  });
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
