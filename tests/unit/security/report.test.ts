import {
  bandOf, escapeMarkdown, exportJson, exportMarkdown, reviewObjects, scoreFromCounts, summarize
} from '@pkg/domain/security';
import { Finding } from '@pkg/domain/security/types';
import { seedObjects } from './fixtures';

/** Score formula, stable JSON export and escaped Markdown export. */

const f = (over: Partial<Finding>): Finding => ({
  id: 'exposure.nodePort', analysis: 'exposure', severity: 'warning', object: { kind: 'Service', namespace: 'ns', name: 'svc' }, params: {}, ...over
});

describe('score', () => {
  it('follows 100 × 0.8^critical × 0.95^warning, ignoring info and expected findings', () => {
    expect(scoreFromCounts(0, 0)).toBe(100);
    expect(scoreFromCounts(1, 0)).toBe(80);
    expect(scoreFromCounts(3, 0)).toBe(51);
    expect(scoreFromCounts(0, 10)).toBe(60);
    expect(scoreFromCounts(1000, 1000)).toBe(0);
    const s = summarize([
      f({ severity: 'critical' }), f({ severity: 'critical', expected: true }), f({ severity: 'warning' }), f({ severity: 'info' }),
      f({ severity: 'info', analysis: 'pss', id: 'pss.baseline.hostNamespaces', expected: true }),
    ]);

    expect(s.score).toBe(76);
    expect(s.bySeverity).toEqual({
      critical: 2, warning: 1, info: 2, total: 5
    });
    expect(s.byAnalysis.exposure.total).toBe(4);
    expect(s.byAnalysis.pss).toEqual({
      critical: 0, warning: 0, info: 1, total: 1
    });
    expect(s.expected).toBe(2);
  });
  it('maps scores to bands', () => {
    expect([100, 90, 89, 70, 69, 40, 39, 0].map(bandOf)).toEqual(['good', 'good', 'fair', 'fair', 'poor', 'poor', 'bad', 'bad']);
  });
  it('ignores findings with unknown severity or analysis', () => {
    expect(summarize([f({ severity: 'total' as any }), f({ analysis: 'bogus' as any })]).bySeverity.total).toBe(0);
  });
});

describe('JSON export', () => {
  it('is independent of input order and key order', () => {
    const a = f({ severity: 'critical', params: { b: 1, a: 'x' } });
    const b = f({ id: 'exposure.loadBalancer', object: { kind: 'Service', namespace: 'a', name: 'z' } });
    const c = f({ severity: 'info', params: { a: 'x', b: 1 } });

    expect(exportJson({ findings: [a, b, c] })).toBe(exportJson({ findings: [c, b, { ...a, params: { a: 'x', b: 1 } }] }));
    const doc = JSON.parse(exportJson({ findings: [c, b, a] }, { title: 'cluster', generatedAt: '2026-01-01T00:00:00Z' }));

    expect(doc.findings.map((x: Finding) => x.severity)).toEqual(['critical', 'warning', 'info']);
    expect(Object.keys(doc)).toEqual(['findings', 'generatedAt', 'summary', 'title', 'version']);
  });
  it('round-trips a full review', () => {
    const result = reviewObjects(seedObjects());
    const doc = JSON.parse(exportJson(result));

    expect(doc.findings).toHaveLength(result.findings.length);
    expect(doc.summary.score).toBe(result.summary.score);
  });
});

describe('Markdown export', () => {
  const t = (key: string, params?: Record<string, string | number>) => {
    const p = params || {};

    return `${ key.split('.').slice(-2).join('.') }${ Object.keys(p).length ? ` [${ Object.keys(p).sort().map((k) => `${ k }=${ p[k] }`).join(';') }]` : '' }`;
  };

  it('escapes every Markdown and HTML metacharacter in object names and parameters', () => {
    const hostile = 'a|b`c<script>alert(1)</script>*d_e[f](g)\nh\r\ni';
    const md = exportMarkdown({ findings: [f({ object: { kind: 'Service', namespace: 'ns', name: hostile }, params: { service: hostile } })] }, t);

    expect(md).not.toContain('<script>');
    expect(md).not.toContain('\ni');
    const row = md.split('\n').find((l) => l.includes('alert')) as string;

    // Every pipe inside a cell is escaped: the row has exactly the 6 separators of a 5-column table.
    expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(7);
    expect(row).toContain('a\\|b\\`c&lt;script&gt;alert\\(1\\)&lt;/script&gt;\\*d\\_e\\[f\\]\\(g\\) h i');
  });
  it('escapes helpers directly', () => {
    expect(escapeMarkdown('x | y')).toBe('x \\| y');
    expect(escapeMarkdown('\\|')).toBe('\\\\\\|');
    expect(escapeMarkdown('a&b')).toBe('a&amp;b');
    expect(escapeMarkdown(null)).toBe('');
    expect(escapeMarkdown(42)).toBe('42');
  });
  it('uses the translate function for every text and falls back to codes when it has none', () => {
    const md = exportMarkdown(reviewObjects(seedObjects()), () => undefined);

    expect(md).toContain('# Security review');
    expect(md).toContain('netpol.hostNetworkPeerBlocked');
    const translated = exportMarkdown(reviewObjects(seedObjects()), t);

    expect(translated).toContain('hostNetworkPeerBlocked.title');
    expect(translated).toContain('severities.critical');
  });
  it('keeps cells intact even if a translation contains a pipe, and survives a throwing translate', () => {
    const md = exportMarkdown({ findings: [f({})] }, (key) => (key.endsWith('.title') ? 'a | b' : 'x'));

    expect(md).toContain('a \\| b');
    expect(() => exportMarkdown({ findings: [f({})] }, () => {
      throw new Error('boom');
    })).not.toThrow();
  });
  it('says so when there is nothing to report', () => {
    expect(exportMarkdown({ findings: [] }, () => undefined)).toContain('No findings.');
  });
});
