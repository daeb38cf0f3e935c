import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { round } from "./stats.js";

/** CPU time spent between two snapshots, by who spent it (Linux /proc; zeros elsewhere). */
export type CpuUsage = {
  wallS: number;
  cores: number;
  /** share of all cores that was busy */
  machineBusyPct: number;
  /** CPU seconds of the app process (and any process it started) */
  appS: number;
  /** CPU seconds of the bench's embedded PostgreSQL (the server and its backends) */
  postgresS: number;
  /** CPU seconds of this process (load generator, GitHub simulator) and its git processes */
  benchS: number;
  /**
   * everything else the machine ran: other people's work (tests), the kernel's (loopback networking); when large,
   * the figures measured alongside are pessimistic
   */
  otherS: number;
};

type Snapshot = { at: number; busy: number; total: number; app: number; postgres: number; bench: number };

// USER_HZ: what /proc counts in; 100 on every Linux this runs on
const TICKS_PER_SECOND = 100;

/**
 * Starts measuring; the returned function tells what was spent since, split between the app (`appPid` and its
 * descendants), the PostgreSQL server of `pgDataDir` (its postmaster and descendants), this process with its other
 * descendants, and the rest of the machine.
 * @example const stop = measureCpu(app.pid, dataDir); await load(); const usage = stop();
 */
export function measureCpu(appPid: number, pgDataDir: string): () => CpuUsage {
  const postmaster = readPostmasterPid(pgDataDir);
  const first = snapshot(appPid, postmaster);
  return () => {
    const last = snapshot(appPid, postmaster);
    const totalTicks = last.total - first.total;
    const busyS = (last.busy - first.busy) / TICKS_PER_SECOND;
    // a process that ended between the snapshots takes its ticks with it: clamp at 0
    const appS = Math.max(0, (last.app - first.app) / TICKS_PER_SECOND);
    const postgresS = Math.max(0, (last.postgres - first.postgres) / TICKS_PER_SECOND);
    const benchS = Math.max(0, (last.bench - first.bench) / TICKS_PER_SECOND);
    return {
      wallS: round((last.at - first.at) / 1000, 2),
      cores: os.cpus().length,
      machineBusyPct: totalTicks > 0 ? round(((last.busy - first.busy) / totalTicks) * 100) : 0,
      appS: round(appS, 2),
      postgresS: round(postgresS, 2),
      benchS: round(benchS, 2),
      otherS: round(Math.max(0, busyS - appS - postgresS - benchS), 2),
    };
  };
}

function snapshot(appPid: number, postmaster: number | null): Snapshot {
  const processes = readProcesses();
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of processes) {
    const list = children.get(ppid) ?? [];
    list.push(pid);
    children.set(ppid, list);
  }
  const counted = new Set<number>();
  const subtree = (root: number | null): number => {
    if (root === null || counted.has(root)) return 0;
    let ticks = 0;
    const stack = [root];
    while (stack.length > 0) {
      const pid = stack.pop() as number;
      if (counted.has(pid)) continue;
      counted.add(pid);
      ticks += processes.get(pid)?.ticks ?? 0;
      stack.push(...(children.get(pid) ?? []));
    }
    return ticks;
  };
  // the app and PostgreSQL first: both may run as children of this process
  const app = subtree(appPid);
  const postgres = subtree(postmaster);
  const bench = subtree(process.pid);
  return { at: Date.now(), ...readMachine(), app, postgres, bench };
}

function readProcesses(): Map<number, { ppid: number; ticks: number }> {
  const processes = new Map<number, { ppid: number; ticks: number }>();
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return processes;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // after the command name (in parentheses, may hold spaces): state, ppid, … utime (14th field), stime (15th)
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      processes.set(Number(entry), {
        ppid: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // the process ended meanwhile
    }
  }
  return processes;
}

function readMachine(): { busy: number; total: number } {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

function readPostmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
