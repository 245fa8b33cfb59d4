/**
 * One rule for showing text that anyone in the cluster can write (names, labels, conditions, Events,
 * flow tags): line breaks and tabs become spaces, other control characters and the bidirectional
 * embedding/override/isolate marks (which can make "evil" read as "live") are removed, and long text is
 * shortened by whole graphemes, so an emoji or an accented letter is never cut in half. The views still
 * render the result as text, never as markup.
 */

// C0/C1 controls (tabs and line breaks are handled first), and the Unicode bidi marks.
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's job
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const segmenter = typeof Intl !== 'undefined' && typeof Intl.Segmenter === 'function' ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : undefined;

/** `text` without control characters and bidi marks; tabs and line breaks as spaces. */
export function cleanText(text: string): string {
  return text.replace(/[\t\n\r]+/g, ' ').replace(UNSAFE_CHARS, '');
}

/** At most `max` graphemes, the last one an ellipsis when shortened. */
export function shorten(text: string, max: number): string {
  // No string of at most `max` UTF-16 units has more than `max` graphemes.
  if (text.length <= max) {
    return text;
  }
  const parts = segmenter ? Array.from(segmenter.segment(text), (s) => s.segment) : Array.from(text);

  return parts.length > max ? `${ parts.slice(0, Math.max(1, max - 1)).join('') }\u2026` : text;
}

/** Plain display text of a string or finite number: cleaned, at most `max` graphemes. */
export function displayText(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? value : (typeof value === 'number' && Number.isFinite(value) ? String(value) : '');

  return shorten(cleanText(text), max);
}
