/** Timing for the benchmark scripts: warm-up runs, then median, p95 and minimum of the samples, printed as one line. */
import { performance } from 'perf_hooks';

export interface Timing { median: number; p95: number; min: number }

export function stats(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

  return { median: at(0.5), p95: at(0.95), min: sorted[0] };
}

export function measure(label: string, fn: () => unknown, iterations: number, width = 52): Timing {
  for (let i = 0; i < 3; i++) {
    fn();
  }
  const samples: number[] = [];

  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();

    fn();
    samples.push(performance.now() - t0);
  }

  return report(label, samples, width);
}

/** Prints the median, p95 and minimum of samples taken elsewhere (e.g. in the browser) as `measure` does. */
export function report(label: string, samples: number[], width = 52): Timing {
  const s = stats(samples);

  console.log(`${ label.padEnd(width) } median ${ s.median.toFixed(1).padStart(7) } ms   p95 ${ s.p95.toFixed(1).padStart(7) } ms   min ${ s.min.toFixed(1).padStart(7) } ms`);

  return s;
}
