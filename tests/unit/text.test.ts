import { cleanText, displayText, shorten } from '@pkg/domain/text';

describe('the one rule for untrusted display text', () => {
  it('shortens by whole graphemes: emoji sequences, flags and combining marks are never cut', () => {
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
    const flag = '\u{1F1E9}\u{1F1EA}';
    const accented = 'e\u0301';

    for (const unit of [family, flag, accented, '\u{1F600}']) {
      const text = unit.repeat(10);
      const short = shorten(text, 4);

      expect(short).toBe(`${ unit.repeat(3) }\u2026`);
      expect(short).not.toContain('\uFFFD');
      expect(Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(short))).toHaveLength(4);
    }
  });

  it('keeps text within the limit as it is', () => {
    expect(shorten('abc', 3)).toBe('abc');
    expect(shorten('\u{1F600}\u{1F600}', 2)).toBe('\u{1F600}\u{1F600}');
  });

  it('turns line breaks and tabs into spaces and drops controls and bidi overrides', () => {
    expect(cleanText('a\r\nb\tc\u0000d\u202Eevil\u202C')).toBe('a b cdevil');
    expect(displayText('line one\nline two')).toBe('line one line two');
  });

  it('shows numbers and nothing else that is not a string', () => {
    expect(displayText(42)).toBe('42');
    expect(displayText(Number.NaN)).toBe('');
    expect(displayText({ toString: () => '<b>' })).toBe('');
  });
});
