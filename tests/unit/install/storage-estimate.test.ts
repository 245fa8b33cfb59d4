import {
  FLOWS_PER_NODE, FLOWS_PER_VM, FLOW_LOG_BYTES, METRICS_SHARE, estimateStorage
} from '@pkg/domain/install/storage-estimate';

const GIB = 2 ** 30;
const base = {
  nodeCount: 3, vmCount: 30, flowLogHours: 72, flowMetricsHours: 168, cleanupUsedPercent: 80, clickhouseNodes: 1, volumeSize: '20Gi'
};

describe('estimateStorage', () => {
  it('follows the documented formula', () => {
    const e = estimateStorage(base);
    const flows = 3 * FLOWS_PER_NODE + 30 * FLOWS_PER_VM;
    const logsPerDay = flows * 86400 * FLOW_LOG_BYTES / GIB;
    const stored = logsPerDay * 3 + logsPerDay * METRICS_SHARE * 7;

    expect(e.flowsPerSecond).toBe(210);
    expect(e.perDayGi).toBeCloseTo(logsPerDay * 1.1, 9);
    expect(e.storedGi).toBeCloseTo(stored, 9);
    expect(e.neededGi).toBeCloseTo(stored / 0.8, 9);
    // 210 flows/s x 150 B = about 2.5 GiB of flow logs a day: three days and a week of metrics need about 11.7 GiB.
    expect(e.neededGi).toBeGreaterThan(11.5);
    expect(e.neededGi).toBeLessThan(12);
    expect(e.volumeGi).toBe(20);
    expect(e.tooSmall).toBe(false);
  });

  it('grows with VMs and retention and warns when the volumes are too small', () => {
    const busy = estimateStorage({ ...base, vmCount: 300, flowLogHours: 24 * 14 });

    expect(busy.neededGi).toBeGreaterThan(estimateStorage(base).neededGi * 10);
    expect(busy.tooSmall).toBe(true);
  });

  it('spreads the need over the ClickHouse nodes and counts every node volume', () => {
    const e = estimateStorage({ ...base, vmCount: 300, clickhouseNodes: 3, volumeSize: '100Gi' });

    expect(e.neededPerNodeGi).toBeCloseTo(e.neededGi / 3, 9);
    expect(e.volumeGi).toBe(300);
  });

  it('never divides by zero or returns NaN for empty or invalid input', () => {
    const e = estimateStorage({
      nodeCount: NaN, vmCount: -1, flowLogHours: NaN, flowMetricsHours: 0, cleanupUsedPercent: 0, clickhouseNodes: 0, volumeSize: 'big'
    });

    expect(e).toEqual({
      flowsPerSecond: 0, perDayGi: 0, storedGi: 0, neededGi: 0, neededPerNodeGi: 0, volumeGi: undefined, tooSmall: false
    });
  });
});
