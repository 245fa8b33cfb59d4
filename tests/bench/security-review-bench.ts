/**
 * Benchmark of the Security Review over a large object set: the chart's objects copied into 60
 * namespaces (more than 1,000 objects, several hundred findings). Prints the median; asserts nothing.
 *
 *   TS_NODE_TRANSPILE_ONLY=1 TS_NODE_COMPILER_OPTIONS='{"module":"commonjs"}' node -r ts-node/register tests/bench/security-review-bench.ts
 * Environment: BENCH_ITERATIONS (default 15).
 */
import { performance } from 'perf_hooks';
import { reviewObjects } from '../../pkg/harvester-network-monitoring/domain/security/review';
import { goodObjects, seedObjects } from '../unit/security/fixtures';

const ITERATIONS = Math.max(3, Number(process.env.BENCH_ITERATIONS) || 15);

function manyObjects(): unknown[] {
  const objects: unknown[] = [];

  for (let i = 0; i < 60; i++) {
    objects.push(...seedObjects().map((o) => JSON.parse(JSON.stringify(o).replace(/"deepflow"/g, `"ns${ i }"`))));
    objects.push(...goodObjects().map((o) => JSON.parse(JSON.stringify(o).replace(/harvester-network-monitoring/g, `stack${ i }`))));
  }

  return objects;
}

const objects = manyObjects();
const times: number[] = [];
let findings = 0;

for (let i = 0; i < ITERATIONS; i++) {
  const started = performance.now();

  findings = reviewObjects(objects, { nodeCIDRs: ['192.168.10.0/24'] }).findings.length;
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
console.log(`security review: ${ objects.length } objects, ${ findings } findings, median ${ times[Math.floor(times.length / 2)].toFixed(1) } ms (${ ITERATIONS } runs)`);
