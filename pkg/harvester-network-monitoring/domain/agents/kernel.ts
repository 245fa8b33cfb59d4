/**
 * Which of DeepFlow's eBPF features a node's kernel supports, as data.
 *
 * SOURCE: the "Kernel Requirements" table of the DeepFlow install guide, as given in
 * /work/shared/seeds/004_ee7c97d4d52bf51b.txt ("Network Observability" > Install DeepFlow > Introduction).
 * The seed's text lost the table's empty cells; the columns are placed as in DeepFlow's own page
 * (deepflowio/docs "Running Permissions and Kernel Requirements"), which has the same rows and marks.
 * The seed's KylinOS rows (V10 SP2 4.19.90-25.24+, V10 SP3 4.19.90-52.24+) are taken from the seed.
 * Notes [1]–[3] of the table are kept as note ids.
 *
 * These features are what DeepFlow's eBPF capabilities (AutoTracing, AutoProfiling) need. Packet
 * capture for network flows (AF_PACKET) does not depend on them.
 */

export type EbpfFeature = 'kprobe' | 'golangUprobe' | 'opensslUprobe' | 'perf';

export const EBPF_FEATURES: readonly EbpfFeature[] = ['kprobe', 'golangUprobe', 'opensslUprobe', 'perf'];

export type KernelNote = 'el7-backport' | 'no-uprobe-in-containers' | 'one-tracepoint-program';

export interface KernelFeatureRow {
  arch: 'amd64' | 'arm64';
  /** The distribution as the table names it; '*' is any distribution. */
  distribution: string;
  /** The kernel version column as printed. */
  kernel: string;
  features: Readonly<Record<EbpfFeature, boolean>>;
  notes: readonly KernelNote[];
}

export const KERNEL_FEATURE_SOURCE = {
  seed:     '004_ee7c97d4d52bf51b.txt',
  section:  'Install DeepFlow > Introduction > Kernel Requirements',
  upstream: 'deepflowio/docs: Running Permissions and Kernel Requirements',
} as const;

const f = (kprobe: boolean, golangUprobe: boolean, opensslUprobe: boolean, perf: boolean) => ({
  kprobe, golangUprobe, opensslUprobe, perf
});
const ALL = f(true, true, true, true);

export const KERNEL_FEATURE_TABLE: readonly KernelFeatureRow[] = [
  {
    arch: 'amd64', distribution: 'CentOS 7.9', kernel: '3.10.0', features: ALL, notes: ['el7-backport', 'no-uprobe-in-containers']
  },
  {
    arch: 'amd64', distribution: 'RedHat 7.6', kernel: '3.10.0', features: ALL, notes: ['el7-backport', 'no-uprobe-in-containers']
  },
  {
    arch: 'amd64', distribution: '*', kernel: '4.9-4.13', features: f(false, false, false, true), notes: []
  },
  {
    arch: 'amd64', distribution: '*', kernel: '4.14', features: f(true, true, false, true), notes: ['no-uprobe-in-containers', 'one-tracepoint-program']
  },
  {
    arch: 'amd64', distribution: '*', kernel: '4.15', features: f(true, true, false, true), notes: ['no-uprobe-in-containers']
  },
  {
    arch: 'amd64', distribution: '*', kernel: '4.16', features: f(true, true, false, true), notes: []
  },
  {
    arch: 'amd64', distribution: '*', kernel: '4.17+', features: ALL, notes: []
  },
  {
    arch: 'arm64', distribution: 'CentOS 8', kernel: '4.18', features: ALL, notes: []
  },
  {
    arch: 'arm64', distribution: 'EulerOS', kernel: '5.10+', features: ALL, notes: []
  },
  {
    arch: 'arm64', distribution: 'KylinOS V10 SP2', kernel: '4.19.90-25.24+', features: ALL, notes: []
  },
  {
    arch: 'arm64', distribution: 'KylinOS V10 SP3', kernel: '4.19.90-52.24+', features: ALL, notes: []
  },
  {
    arch: 'arm64', distribution: 'Other Distributions', kernel: '5.8+', features: ALL, notes: []
  },
];

/** Note [1]: the el7 kernels DeepFlow supports (their eBPF hook points were backported). */
export const EL7_SUPPORTED_BUILDS: readonly string[] = ['3.10.0-957', '3.10.0-1062', '3.10.0-1127', '3.10.0-1160'];

export interface KernelVersion {
  major: number;
  minor: number;
  patch: number;
  /** Everything after `major.minor.patch`, e.g. `-150500.55.68-default`. */
  rest: string;
}

/** `5.14.21-150500.55.68-default` -> 5, 14, 21, '-150500.55.68-default'; null when it is not a kernel release. */
export function parseKernelVersion(value: unknown): KernelVersion | null {
  const m = typeof value === 'string' ? /^(\d{1,4})\.(\d{1,4})(?:\.(\d{1,6}))?(.*)$/.exec(value.trim()) : null;

  if (!m) {
    return null;
  }

  return {
    major: Number(m[1]), minor: Number(m[2]), patch: m[3] === undefined ? 0 : Number(m[3]), rest: m[4]
  };
}

const atLeast = (v: KernelVersion, major: number, minor: number) => v.major > major || (v.major === major && v.minor >= minor);

function kylinBuild(kernel: string): number[] | null {
  const m = /^4\.19\.90-(\d+)\.(\d+)/.exec(kernel);

  return m ? [Number(m[1]), Number(m[2])] : null;
}

function row(arch: string, distribution: string, kernel: string): KernelFeatureRow | undefined {
  return KERNEL_FEATURE_TABLE.find((r) => r.arch === arch && r.distribution === distribution && r.kernel === kernel);
}

export type KernelVerdict =
  /** A row of the table matches. */
  | { kind: 'row'; row: KernelFeatureRow }
  /** Below every row for the architecture: no eBPF features. */
  | { kind: 'too-old'; arch: 'amd64' | 'arm64' }
  /** Architecture, kernel or distribution the table does not cover, or no kernel reported. */
  | { kind: 'unknown'; reason: 'no-kernel' | 'unparsable-kernel' | 'unknown-arch' | 'not-in-table' };

export interface NodeSystem {
  /** status.nodeInfo.kernelVersion */
  kernelVersion?: string;
  /** status.nodeInfo.osImage */
  osImage?: string;
  /** status.nodeInfo.architecture (GOARCH: amd64, arm64) */
  architecture?: string;
}

/** The table's row for a node (x86: by kernel line; ARM: by distribution and kernel). */
export function kernelVerdict(system: NodeSystem): KernelVerdict {
  const kernel = (system.kernelVersion || '').trim();

  if (!kernel) {
    return { kind: 'unknown', reason: 'no-kernel' };
  }
  const v = parseKernelVersion(kernel);

  if (!v) {
    return { kind: 'unknown', reason: 'unparsable-kernel' };
  }
  const os = (system.osImage || '').toLowerCase();
  const arch = system.architecture;
  const found = (r: KernelFeatureRow | undefined): KernelVerdict => (r ? { kind: 'row', row: r } : { kind: 'unknown', reason: 'not-in-table' });

  if (arch === 'amd64') {
    if (v.major === 3 && v.minor === 10) {
      // Only the el7 builds of note [1] have the backported hooks.
      if (!EL7_SUPPORTED_BUILDS.some((b) => kernel.startsWith(`${ b }.`) || kernel === b)) {
        return { kind: 'too-old', arch };
      }

      return found(os.includes('red hat') ? row(arch, 'RedHat 7.6', '3.10.0') : row(arch, 'CentOS 7.9', '3.10.0'));
    }
    if (atLeast(v, 4, 17)) {
      return found(row(arch, '*', '4.17+'));
    }
    if (v.major === 4 && v.minor >= 14) {
      return found(row(arch, '*', `4.${ v.minor }`));
    }
    if (v.major === 4 && v.minor >= 9) {
      return found(row(arch, '*', '4.9-4.13'));
    }

    return { kind: 'too-old', arch };
  }
  if (arch === 'arm64') {
    if (atLeast(v, 5, 8)) {
      return found(os.includes('euler') && atLeast(v, 5, 10) ? row(arch, 'EulerOS', '5.10+') : row(arch, 'Other Distributions', '5.8+'));
    }
    if (os.includes('kylin')) {
      const build = kylinBuild(kernel);

      const from = (a: number, b: number) => !!build && (build[0] > a || (build[0] === a && build[1] >= b));

      if (from(52, 24)) {
        return found(row(arch, 'KylinOS V10 SP3', '4.19.90-52.24+'));
      }
      if (from(25, 24)) {
        return found(row(arch, 'KylinOS V10 SP2', '4.19.90-25.24+'));
      }
    }
    if (os.includes('centos') && /\b8\b/.test(os) && v.major === 4 && v.minor === 18) {
      return found(row(arch, 'CentOS 8', '4.18'));
    }

    return os.includes('kylin') || os.includes('centos') || os.includes('euler') ? { kind: 'too-old', arch } : { kind: 'unknown', reason: 'not-in-table' };
  }

  return { kind: 'unknown', reason: 'unknown-arch' };
}

/** The features the verdict grants: all false when too old, null when unknown. */
export function kernelFeatures(verdict: KernelVerdict): Record<EbpfFeature, boolean> | null {
  if (verdict.kind === 'row') {
    return { ...verdict.row.features };
  }
  if (verdict.kind === 'too-old') {
    return f(false, false, false, false);
  }

  return null;
}
