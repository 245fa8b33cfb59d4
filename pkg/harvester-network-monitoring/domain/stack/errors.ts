import { isRecord, str } from '../guards';

export type ApiErrorKind = 'forbidden' | 'not-found' | 'unavailable' | 'unknown';

export interface ApiError {
  kind: ApiErrorKind;
  status?: number;
  /** The server's own words, shown as plain text next to our explanation. */
  detail: string;
}

function statusOf(err: Record<string, any>): number | undefined {
  const candidates = [err._status, err.status, err.code, err.response?.status];
  const found = candidates.find((c) => typeof c === 'number' && Number.isInteger(c));

  return found as number | undefined;
}

function detailOf(err: unknown): string {
  if (typeof err === 'string') {
    return err;
  }
  if (!isRecord(err)) {
    return '';
  }

  return str(err.message) || str(err.data?.message) || str(err.response?.data?.message) ||
    str(err.statusText) || '';
}

/** Normalizes the many shapes the shell store rejects with (Steve errors, fetch errors, strings). */
export function classifyApiError(err: unknown): ApiError {
  const status = isRecord(err) ? statusOf(err) : undefined;
  const detail = detailOf(err).slice(0, 500);
  let kind: ApiErrorKind = 'unknown';

  if (status === 401 || status === 403) {
    kind = 'forbidden';
  } else if (status === 404) {
    kind = 'not-found';
  } else if (status === undefined || status === 0 || status >= 500) {
    kind = 'unavailable';
  }

  return { kind, status, detail };
}
