import { readFileSync } from 'node:fs';
import pg from 'pg';

/**
 * CPU seconds (user + system) of a process from /proc, or null when it is gone or not on this machine. schedstat
 * counts nanoseconds; stat's clock ticks (10 ms) were a fifteenth of a millisecond per e-mail in a round of 150.
 */
function processCpu(pid: number): number | null {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e9;
  } catch {
    // A kernel without scheduler statistics: clock ticks.
  }
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

const POLL_MS = 100;

export type Measured<T> = {
  result: T;
  seconds: number;
  /** This process's CPU seconds. */
  cpuSeconds: number;
  /** CPU seconds of the PostgreSQL backends that served the work; null when the server is on another machine. */
  serverCpuSeconds: number | null;
};

/**
 * Wall time says little on this shared machine; CPU time of the client plus that of the server backends doing the
 * work is what an import costs. The backends are found by the application name their connections give
 * (`application_name` in the connection string) and read from /proc, PostgreSQL being local.
 */
export class BackendCpu {
  private constructor(
    private readonly admin: pg.Client,
    private readonly application: string,
  ) {}

  static async open(url: string, application: string): Promise<BackendCpu> {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    return new BackendCpu(admin, application);
  }

  private async sample(): Promise<Map<number, number | null>> {
    const { rows } = await this.admin.query<{ pid: number }>(
      `select pid from pg_stat_activity where application_name = $1
      or leader_pid in (select pid from pg_stat_activity where application_name = $1)`,
      [this.application],
    );
    return new Map(rows.map((r) => [r.pid, processCpu(r.pid)]));
  }

  async timed<T>(work: () => Promise<T>): Promise<Measured<T>> {
    const before = await this.sample();
    // Parallel workers (of a VACUUM's index passes, of a large scan), found by their leader, end with their
    // statement: sampled while the work runs, each counts with the last CPU time seen.
    const seen = new Map(before);
    let polling = true;
    const poller = (async () => {
      while (polling) {
        for (const [pid, cpu] of await this.sample()) if (cpu !== null || !seen.has(pid)) seen.set(pid, cpu);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    })();
    const start = performance.now();
    const cpu = process.cpuUsage();
    const result = await work().finally(() => (polling = false));
    const used = process.cpuUsage(cpu);
    const seconds = (performance.now() - start) / 1000;
    await poller;
    for (const [pid, now] of await this.sample()) if (now !== null || !seen.has(pid)) seen.set(pid, now);
    // A process that ended between the look-up and the read has no reading; none at all means a remote server.
    let server = 0;
    let local = false;
    for (const [pid, now] of seen) {
      if (now === null) continue;
      local = true;
      // A backend that connected during the work started from nothing.
      server += now - (before.get(pid) ?? 0);
    }
    const cpuSeconds = (used.user + used.system) / 1e6;
    return { result, seconds, cpuSeconds, serverCpuSeconds: local ? server : null };
  }

  async close(): Promise<void> {
    await this.admin.end();
  }
}

/** Client plus server CPU seconds, or wall seconds when the server's CPU is not known. */
export const costOf = (m: Measured<unknown>) =>
  m.serverCpuSeconds === null ? m.seconds : m.cpuSeconds + m.serverCpuSeconds;

/** The connection string with an application name, so that BackendCpu finds its backends. */
export function named(url: string, application: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}application_name=${application}`;
}
