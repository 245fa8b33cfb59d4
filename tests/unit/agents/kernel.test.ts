import {
  KERNEL_FEATURE_TABLE, KERNEL_FEATURE_SOURCE, kernelFeatures, kernelVerdict, parseKernelVersion
} from '@pkg/domain/agents/kernel';

const amd64 = (kernelVersion: string, osImage = 'Harvester v1.6.0') => kernelVerdict({ kernelVersion, osImage, architecture: 'amd64' });
const arm64 = (kernelVersion: string, osImage: string) => kernelVerdict({ kernelVersion, osImage, architecture: 'arm64' });
const rowOf = (v: ReturnType<typeof kernelVerdict>) => (v.kind === 'row' ? `${ v.row.arch } ${ v.row.distribution } ${ v.row.kernel }` : v.kind);

describe('kernel/eBPF feature table (seed 004, DeepFlow Kernel Requirements)', () => {
  it('names its source and keeps the table\'s rows', () => {
    expect(KERNEL_FEATURE_SOURCE.seed).toBe('004_ee7c97d4d52bf51b.txt');
    expect(KERNEL_FEATURE_TABLE.map((r) => `${ r.arch } ${ r.distribution } ${ r.kernel }`)).toEqual([
      'amd64 CentOS 7.9 3.10.0', 'amd64 RedHat 7.6 3.10.0', 'amd64 * 4.9-4.13', 'amd64 * 4.14', 'amd64 * 4.15', 'amd64 * 4.16',
      'amd64 * 4.17+', 'arm64 CentOS 8 4.18', 'arm64 EulerOS 5.10+', 'arm64 KylinOS V10 SP2 4.19.90-25.24+',
      'arm64 KylinOS V10 SP3 4.19.90-52.24+', 'arm64 Other Distributions 5.8+',
    ]);
  });

  it('parses kernel releases', () => {
    expect(parseKernelVersion('5.14.21-150500.55.68-default')).toEqual({
      major: 5, minor: 14, patch: 21, rest: '-150500.55.68-default'
    });
    expect(parseKernelVersion('4.9')).toEqual({
      major: 4, minor: 9, patch: 0, rest: ''
    });
    expect(parseKernelVersion('linux')).toBeNull();
    expect(parseKernelVersion(undefined)).toBeNull();
  });

  it('gives Harvester\'s SLE Micro kernel (5.14) every feature', () => {
    const v = amd64('5.14.21-150500.55.68-default');

    expect(rowOf(v)).toBe('amd64 * 4.17+');
    expect(kernelFeatures(v)).toEqual({
      kprobe: true, golangUprobe: true, opensslUprobe: true, perf: true
    });
  });

  it.each([
    ['4.9.0', 'amd64 * 4.9-4.13', { kprobe: false, golangUprobe: false, opensslUprobe: false, perf: true }],
    ['4.13.16', 'amd64 * 4.9-4.13', { kprobe: false, golangUprobe: false, opensslUprobe: false, perf: true }],
    ['4.14.0', 'amd64 * 4.14', { kprobe: true, golangUprobe: true, opensslUprobe: false, perf: true }],
    ['4.15.18', 'amd64 * 4.15', { kprobe: true, golangUprobe: true, opensslUprobe: false, perf: true }],
    ['4.16.1', 'amd64 * 4.16', { kprobe: true, golangUprobe: true, opensslUprobe: false, perf: true }],
    ['4.17.0', 'amd64 * 4.17+', { kprobe: true, golangUprobe: true, opensslUprobe: true, perf: true }],
  ])('x86 kernel %s is row %s', (kernel, row, features) => {
    const v = amd64(kernel);

    expect(rowOf(v)).toBe(row);
    expect(kernelFeatures(v)).toEqual(features);
  });

  it('treats x86 kernels below 4.9 as too old (no features)', () => {
    const v = amd64('4.4.0-210-generic');

    expect(v).toEqual({ kind: 'too-old', arch: 'amd64' });
    expect(kernelFeatures(v)).toEqual({
      kprobe: false, golangUprobe: false, opensslUprobe: false, perf: false
    });
  });

  it('accepts only the el7 3.10 builds of note [1]', () => {
    expect(rowOf(amd64('3.10.0-1160.el7.x86_64', 'CentOS Linux 7 (Core)'))).toBe('amd64 CentOS 7.9 3.10.0');
    expect(rowOf(amd64('3.10.0-957.el7.x86_64', 'Red Hat Enterprise Linux Server 7.6 (Maipo)'))).toBe('amd64 RedHat 7.6 3.10.0');
    expect(amd64('3.10.0-693.el7.x86_64', 'CentOS Linux 7 (Core)').kind).toBe('too-old');
  });

  it('matches ARM rows by distribution and kernel', () => {
    expect(rowOf(arm64('5.15.0-1034-raspi', 'Ubuntu 22.04'))).toBe('arm64 Other Distributions 5.8+');
    expect(rowOf(arm64('5.10.0-60.18.0.50.oe2203.aarch64', 'EulerOS 2.0'))).toBe('arm64 EulerOS 5.10+');
    expect(rowOf(arm64('4.18.0-348.el8.aarch64', 'CentOS Linux 8'))).toBe('arm64 CentOS 8 4.18');
    expect(rowOf(arm64('4.19.90-52.24.v2207.ky10.aarch64', 'Kylin Linux Advanced Server V10 (Lance)'))).toBe('arm64 KylinOS V10 SP3 4.19.90-52.24+');
    expect(rowOf(arm64('4.19.90-25.24.v2101.ky10.aarch64', 'Kylin Linux Advanced Server V10 (Sword)'))).toBe('arm64 KylinOS V10 SP2 4.19.90-25.24+');
    expect(arm64('4.19.90-23.8.v2101.ky10.aarch64', 'Kylin Linux Advanced Server V10').kind).toBe('too-old');
    expect(arm64('4.19.0', 'Debian 10')).toEqual({ kind: 'unknown', reason: 'not-in-table' });
  });

  it('says unknown (not "no features") when it cannot tell', () => {
    expect(kernelVerdict({})).toEqual({ kind: 'unknown', reason: 'no-kernel' });
    expect(kernelVerdict({ kernelVersion: 'abc', architecture: 'amd64' })).toEqual({ kind: 'unknown', reason: 'unparsable-kernel' });
    expect(kernelVerdict({ kernelVersion: '5.14.21', architecture: 's390x' })).toEqual({ kind: 'unknown', reason: 'unknown-arch' });
    expect(kernelFeatures({ kind: 'unknown', reason: 'no-kernel' })).toBeNull();
  });
});
