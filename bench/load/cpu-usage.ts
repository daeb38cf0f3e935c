import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { round } from "./stats.js";

/** CPU time spent between two snapshots, by who spent it (Linux /proc; zeros elsewhere). */
export type CpuUsage = {
  wallS: number;
  cores: number;
  /** share of all cores that was busy */
  machineBusyPct: number;
  /** CPU seconds of the app process */
  appS: number;
  /** CPU seconds of every process named "postgres" (the embedded server and its backends) */
  postgresS: number;
  /** CPU seconds of this process: the load generator and the GitHub simulator */
  benchS: number;
  /** everything else that ran on the machine */
  otherS: number;
};

type Snapshot = { at: number; busy: number; total: number; app: number; postgres: number; bench: number };

// USER_HZ: what /proc counts in; 100 on every Linux this runs on
const TICKS_PER_SECOND = 100;

/**
 * Starts measuring; the returned function measures what was spent since.
 * @example const stop = measureCpu(app.pid); await load(); const usage = stop();
 */
export function measureCpu(appPid: number): () => CpuUsage {
  const first = snapshot(appPid);
  return () => {
    const last = snapshot(appPid);
    const wallS = (last.at - first.at) / 1000;
    const cores = os.cpus().length;
    const totalTicks = last.total - first.total;
    const busyS = (last.busy - first.busy) / TICKS_PER_SECOND;
    const appS = (last.app - first.app) / TICKS_PER_SECOND;
    const postgresS = Math.max(0, (last.postgres - first.postgres) / TICKS_PER_SECOND);
    const benchS = (last.bench - first.bench) / 1e6;
    return {
      wallS: round(wallS, 2),
      cores,
      machineBusyPct: totalTicks > 0 ? round(((last.busy - first.busy) / totalTicks) * 100) : 0,
      appS: round(appS, 2),
      postgresS: round(postgresS, 2),
      benchS: round(benchS, 2),
      otherS: round(Math.max(0, busyS - appS - postgresS - benchS), 2),
    };
  };
}

function snapshot(appPid: number): Snapshot {
  const usage = process.cpuUsage();
  const machine = readMachine();
  return {
    at: Date.now(),
    ...machine,
    app: processTicks(appPid),
    postgres: postgresTicks(),
    bench: usage.user + usage.system,
  };
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

function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // fields after the command name (which may hold spaces, inside parentheses): state is field 3, utime 14, stime 15
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function postgresTicks(): number {
  let ticks = 0;
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "postgres")
        ticks += processTicks(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks;
}
