import { readFileSync } from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // after the command: state(0) ... utime(11) stime(12)
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Resident memory of a process in bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

export class CpuMeter {
  private readonly start = new Map<string, number>();
  constructor(private readonly pids: Record<string, number>) {
    for (const [name, pid] of Object.entries(pids)) this.start.set(name, cpuSeconds(pid));
  }

  /** CPU seconds each process used since the meter was created. */
  read(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.pids)) out[name] = cpuSeconds(pid) - (this.start.get(name) ?? 0);
    return out;
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

function tryCpu(pid: number): number | null {
  try {
    return cpuSeconds(pid);
  } catch {
    return null; // the process has exited
  }
}

/**
 * CPU and memory of named groups of processes (e.g. all PostgreSQL backends of one database); a
 * process that exits during the measurement counts with what it had used when last seen.
 */
export class GroupMeter {
  private readonly start = new Map<number, number>();
  private readonly startedAt = Date.now();
  private readonly machineStart = machineBusySeconds();

  constructor(private readonly groups: Record<string, number[]>) {
    for (const pids of Object.values(groups)) for (const pid of pids) this.start.set(pid, tryCpu(pid) ?? 0);
  }

  /** Cores each group used on average since the meter was created. */
  cores(): Record<string, number> {
    const seconds = (Date.now() - this.startedAt) / 1000;
    const out: Record<string, number> = {};
    for (const [name, pids] of Object.entries(this.groups)) {
      const used = pids.reduce((n, pid) => n + Math.max(0, (tryCpu(pid) ?? this.start.get(pid) ?? 0) - (this.start.get(pid) ?? 0)), 0);
      out[name] = Math.round((used / seconds) * 100) / 100;
    }
    // everything else on the machine (other users' builds and tests make a run unrepresentative)
    const ours = Object.values(out).reduce((n, c) => n + c, 0);
    out['others'] = Math.max(0, Math.round(((machineBusySeconds() - this.machineStart) / seconds - ours) * 100) / 100);
    return out;
  }

  /** Resident memory of each group now, MB. */
  rssMB(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, pids] of Object.entries(this.groups)) {
      const bytes = pids.reduce((n, pid) => {
        try {
          return n + rssBytes(pid);
        } catch {
          return n;
        }
      }, 0);
      out[name] = Math.round(bytes / 1e6);
    }
    return out;
  }
}

/** CPU seconds the whole machine has spent busy (all cores, everything but idle and iowait). */
export function machineBusySeconds(): number {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS;
}
