/**
 * CPU time by process on this machine (Linux /proc), to tell what shared the 2 cores while a page loaded: the
 * browser, this process's main thread (the sandbox backend's Steve lists and service proxy, Playwright), threads
 * named by the caller (the querier stand-in's), its other threads (V8's helpers: garbage collection and
 * compilation for every thread; libuv's), the kube-apiserver and etcd, and the kernel's workers (disk
 * writeback among them); and, for the machine as a whole, the time no one used and the time the hypervisor gave
 * to other guests (steal: the same page measures slower while it is high). Where /proc cannot be read the
 * figures are empty.
 */
import fs from 'fs';

/** Cumulative CPU seconds per thread or process, keyed by id and group. */
export type CpuSample = Map<string, { group: string; seconds: number }>;

const TICKS_PER_SECOND = 100;

/** utime + stime and the command name of one /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat. */
function readStat(file: string): { comm: string; seconds: number } | undefined {
  try {
    const stat = fs.readFileSync(file, 'utf8');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');

    return { comm: stat.slice(stat.indexOf('(') + 1, close), seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

function groupOf(comm: string): string {
  return /^(kworker|ksoftirqd|kswapd|jbd2|kdamond)/.test(comm) ? 'kernel workers' : comm;
}

/** /proc/stat's machine-wide idle and steal columns (proc(5)), in seconds over every core. */
function machineTimes(sample: CpuSample): void {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);

    sample.set('idle', { group: 'idle', seconds: fields[4] / TICKS_PER_SECOND });
    sample.set('steal', { group: 'stolen by the hypervisor', seconds: fields[8] / TICKS_PER_SECOND });
  } catch {
    // No /proc/stat: no machine-wide figures.
  }
}

/** Threads of this process with a name of their own in the figures (Linux thread id -> group). */
export type ThreadNames = ReadonlyMap<number, string>;

export function sampleCpu(names: ThreadNames = new Map()): CpuSample {
  const sample: CpuSample = new Map();
  let pids: string[] = [];

  machineTimes(sample);

  try {
    pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return sample;
  }
  for (const pid of pids) {
    if (Number(pid) !== process.pid) {
      const stat = readStat(`/proc/${ pid }/stat`);

      if (stat) {
        sample.set(pid, { group: groupOf(stat.comm), seconds: stat.seconds });
      }
      continue;
    }
    for (const tid of fs.readdirSync(`/proc/${ pid }/task`)) {
      const stat = readStat(`/proc/${ pid }/task/${ tid }/stat`);

      if (stat) {
        const group = tid === pid ? 'this process, main thread' : names.get(Number(tid)) ?? 'this process, other threads';

        sample.set(`${ pid }/${ tid }`, { group, seconds: stat.seconds });
      }
    }
  }

  return sample;
}

/** Milliseconds of CPU per group between two samples, largest first (a thread started since counts whole). */
export function cpuBetween(before: CpuSample, after: CpuSample): { group: string; ms: number }[] {
  const ms = new Map<string, number>();

  after.forEach(({ group, seconds }, id) => {
    const spent = (seconds - (before.get(id)?.seconds ?? 0)) * 1000;

    if (spent > 0) {
      ms.set(group, (ms.get(group) ?? 0) + spent);
    }
  });

  return [...ms].map(([group, value]) => ({ group, ms: value })).sort((a, b) => b.ms - a.ms);
}
