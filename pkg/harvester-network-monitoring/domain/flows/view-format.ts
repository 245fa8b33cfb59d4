/**
 * Value formatting for the flow views. Names come from flow data and cluster objects anyone may
 * write, so display text is stripped of control and bidirectional-override characters (which can
 * make "evil" read as "live") and bounded; the views still render it as text, never as markup.
 */

// C0/C1 controls, and the Unicode bidi embedding/override/isolate marks.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Plain display text: unsafe characters removed, at most `max` characters (with an ellipsis). */
export function displayText(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? value : (typeof value === 'number' && Number.isFinite(value) ? String(value) : '');
  const clean = text.replace(UNSAFE_CHARS, '');

  return clean.length > max ? `${ clean.slice(0, Math.max(1, max - 1)) }\u2026` : clean;
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1536 -> "1.5 KiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) {
    return '-';
  }
  let value = bytes;
  let unit = 0;

  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }

  return unit === 0 ? `${ Math.round(value) } B` : `${ value < 10 ? value.toFixed(1) : Math.round(value) } ${ BYTE_UNITS[unit] }`;
}

/** 12345 -> "12,345". */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-';
}

/** Microseconds as "850 µs", "12.3 ms" or "1.2 s"; '-' without samples. */
export function formatMicros(us: number | null | undefined): string {
  if (us === null || us === undefined || !Number.isFinite(us) || us < 0) {
    return '-';
  }
  if (us < 1000) {
    return `${ Math.round(us) } \u00b5s`;
  }
  if (us < 1_000_000) {
    const ms = us / 1000;

    return `${ ms < 100 ? ms.toFixed(1) : Math.round(ms) } ms`;
  }

  return `${ (us / 1_000_000).toFixed(1) } s`;
}

/** 0.0123 -> "1.23%"; '-' when unknown. */
export function formatRatio(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) {
    return '-';
  }
  const pct = ratio * 100;

  return `${ pct === 0 ? '0' : pct < 0.01 ? '<0.01' : pct < 10 ? pct.toFixed(2) : pct.toFixed(1) }%`;
}

/** Unix seconds as an ISO-like local-independent UTC string, e.g. "2026-05-01 10:00:30Z". */
export function formatTime(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) {
    return '-';
  }

  return new Date(seconds * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}
