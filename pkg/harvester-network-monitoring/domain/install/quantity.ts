/** Kubernetes resource quantities, reduced to the units the wizard works in. */

const BINARY: Record<string, number> = {
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60
};
const DECIMAL: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18
};
const QUANTITY = /^([+]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

/** A quantity in base units (cores for CPU, bytes for memory), or undefined when it is not a valid quantity. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const match = value.trim().match(QUANTITY);

  if (!match) {
    return undefined;
  }
  const suffix = match[2] || '';
  const factor = BINARY[suffix] ?? DECIMAL[suffix];
  const result = Number(match[1]) * factor;

  return Number.isFinite(result) ? result : undefined;
}

export function millicores(value: unknown): number | undefined {
  const cores = parseQuantity(value);

  return cores === undefined ? undefined : Math.round(cores * 1000);
}

export function mebibytes(value: unknown): number | undefined {
  const bytes = parseQuantity(value);

  return bytes === undefined ? undefined : bytes / 2 ** 20;
}

export function gibibytes(value: unknown): number | undefined {
  const bytes = parseQuantity(value);

  return bytes === undefined ? undefined : bytes / 2 ** 30;
}

export function formatMillicores(m: number): string {
  return m % 1000 === 0 ? `${ m / 1000 }` : `${ m }m`;
}

export function formatMebibytes(mib: number): string {
  return mib >= 1024 && mib % 1024 === 0 ? `${ mib / 1024 }Gi` : `${ Math.round(mib) }Mi`;
}
