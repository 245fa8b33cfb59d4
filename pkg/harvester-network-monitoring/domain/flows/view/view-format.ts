/**
 * Value formatting for the flow views. Names come from flow data and cluster objects anyone may
 * write: they are shown through the one text rule of domain/text.ts.
 */
export { displayText } from '../../text';

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
