/**
 * Every locale the extension ships has exactly the keys of en-us.yaml, and each message has the same ICU
 * arguments, argument types and plural/select branches, parsed with the parser intl-messageformat 7.8.4
 * (what the shell formats with) uses. A key added to en-us.yaml without its translation fails here.
 */
import fs from 'fs';
import path from 'path';
import { load } from 'js-yaml';
import IntlMessageFormat from 'intl-messageformat';
import { MessageFormatElement, TYPE, parse } from 'intl-messageformat-parser';

const L10N = path.join(__dirname, '../../../pkg/harvester-network-monitoring/l10n');
const TRANSLATIONS = fs.readdirSync(L10N).filter((f) => f.endsWith('.yaml') && f !== 'en-us.yaml');

type Messages = Record<string, unknown>;

function flatten(tree: unknown, prefix = '', out: Messages = {}): Messages {
  Object.entries(tree as Record<string, unknown>).forEach(([key, value]) => {
    const name = prefix ? `${ prefix }.${ key }` : key;

    if (value && typeof value === 'object') {
      flatten(value, name, out);
    } else {
      out[name] = value;
    }
  });

  return out;
}

const readLocale = (file: string) => flatten(load(fs.readFileSync(path.join(L10N, file), 'utf8')));

const TYPE_NAMES: Record<number, string> = {
  [TYPE.argument]: 'argument', [TYPE.number]: 'number', [TYPE.date]: 'date', [TYPE.time]: 'time', [TYPE.select]: 'select', [TYPE.plural]: 'plural',
};

/**
 * What a message needs from its caller and how it branches, literal text left out: a sorted list of
 * `name:type`, with the branches of plural/select (and `#` inside plural branches) spelled out.
 */
function icuShape(message: string): string[] {
  const walk = (elements: MessageFormatElement[]): string[] => elements.flatMap((el): string[] => {
    if (el.type === TYPE.literal) {
      return [];
    }
    if (el.type === TYPE.pound) {
      return ['#'];
    }
    if (el.type === TYPE.select || el.type === TYPE.plural) {
      const branches = Object.entries(el.options).map(([id, opt]) => `${ id }{${ walk(opt.value).sort().join(',') }}`).sort();

      return [`${ el.value }:${ TYPE_NAMES[el.type] }[${ branches.join(' ') }]`];
    }

    return [`${ el.value }:${ TYPE_NAMES[el.type] }`];
  });

  return walk(parse(message)).sort();
}

/** The differences between a translation and en-us, one line each. */
function localeDifferences(en: Messages, other: Messages): string[] {
  const problems: string[] = [];

  Object.keys(en).filter((k) => !(k in other)).forEach((k) => problems.push(`missing ${ k }`));
  Object.keys(other).filter((k) => !(k in en)).forEach((k) => problems.push(`not in en-us ${ k }`));
  Object.keys(en).filter((k) => k in other).forEach((k) => {
    if (typeof other[k] !== 'string' || !(other[k] as string).trim()) {
      problems.push(`not a message ${ k }`);

      return;
    }
    try {
      const want = icuShape(en[k] as string).join(' ');
      const got = icuShape(other[k] as string).join(' ');

      if (want !== got) {
        problems.push(`placeholders differ ${ k }: en-us [${ want }] vs [${ got }]`);
      }
    } catch (e) {
      problems.push(`unparsable ${ k }: ${ (e as Error).message }`);
    }
  });

  return problems;
}

describe('locale files', () => {
  const en = readLocale('en-us.yaml');

  it('ship a Chinese (zh-hans) translation, as Harvester and Rancher do', () => {
    expect(TRANSLATIONS).toContain('zh-hans.yaml');
  });

  it('keep every en-us message a string the shell can format', () => {
    const broken = Object.entries(en).filter(([, v]) => typeof v !== 'string' || !v.trim()).map(([k]) => k);

    expect(broken).toEqual([]);
    Object.values(en).forEach((msg) => expect(() => icuShape(msg as string)).not.toThrow());
  });

  it.each(TRANSLATIONS)('%s has the keys, arguments and plural/select branches of en-us.yaml', (file) => {
    expect(localeDifferences(en, readLocale(file))).toEqual([]);
  });

  it.each(TRANSLATIONS)('%s formats every message in its locale with the shell formatter', (file) => {
    const locale = file.replace(/\.yaml$/, '');
    const messages = readLocale(file);
    // Each argument gets a value of its kind, nested ones included; plural/select get ones that reach `other`.
    const values = (elements: MessageFormatElement[]): [string, unknown][] => elements.flatMap((el): [string, unknown][] => {
      if (el.type === TYPE.literal || el.type === TYPE.pound) {
        return [];
      }
      const nested = el.type === TYPE.select || el.type === TYPE.plural ? Object.values(el.options).flatMap((o) => values(o.value)) : [];

      return [[el.value, el.type === TYPE.plural || el.type === TYPE.number ? 7 : 'x'], ...nested];
    });
    const args = (msg: string) => Object.fromEntries(values(parse(msg))) as Record<string, string | number>;
    // The shell only builds a formatter for messages with a brace (store/i18n.js `t`).
    const formatted = Object.entries(messages).filter(([, msg]) => (msg as string).includes('{'))
      .map(([key, msg]) => `${ key }: ${ new IntlMessageFormat(msg as string, locale).format(args(msg as string)) }`);

    expect(formatted.length).toBeGreaterThan(100);
    expect(formatted.filter((text) => text.includes('{'))).toEqual([]);
  });
});

describe('the locale comparison', () => {
  const en = { a: 'Hello {name}', b: '{count, plural, =1 {1 node} other {# nodes}}', c: '{kind, select, pod {pod} other {namespace {ns}}}' };
  const good = { a: '你好 {name}', b: '{count, plural, =1 {1 个节点} other {# 个节点}}', c: '{kind, select, pod {Pod} other {命名空间 {ns}}}' };

  it('accepts a faithful translation whatever the word order', () => {
    expect(localeDifferences(en, good)).toEqual([]);
    expect(localeDifferences({ x: '{a} to {b}' }, { x: '{b} 来自 {a}' })).toEqual([]);
  });

  it('reports missing and extra keys', () => {
    expect(localeDifferences(en, { a: good.a, b: good.b, d: 'x' })).toEqual(['missing c', 'not in en-us d']);
  });

  it('reports a renamed or dropped argument, a lost # and a changed branch', () => {
    expect(localeDifferences({ a: en.a }, { a: '你好 {nom}' })).toHaveLength(1);
    expect(localeDifferences({ a: en.a }, { a: '你好' })).toHaveLength(1);
    expect(localeDifferences({ b: en.b }, { b: '{count, plural, =1 {1 个} other {多个}}' })).toHaveLength(1);
    expect(localeDifferences({ b: en.b }, { b: '{count, plural, other {# 个节点}}' })).toHaveLength(1);
    expect(localeDifferences({ c: en.c }, { c: '{kind, select, pod {Pod} other {命名空间}}' })).toHaveLength(1);
    expect(localeDifferences({ b: en.b }, { b: '{count, number} 个节点' })).toHaveLength(1);
  });

  it('reports a message that does not parse', () => {
    expect(localeDifferences({ a: en.a }, { a: '你好 {name' })[0]).toMatch(/^unparsable a/);
  });
});
