import { readFileSync } from 'node:fs';
import pg from 'pg';

/** CPU seconds (user + system) of a process from /proc, or null when it is gone or not on this machine. */
function processCpu(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

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
      'select pid from pg_stat_activity where application_name = $1',
      [this.application],
    );
    return new Map(rows.map((r) => [r.pid, processCpu(r.pid)]));
  }

  async timed<T>(work: () => Promise<T>): Promise<Measured<T>> {
    const before = await this.sample();
    const start = performance.now();
    const cpu = process.cpuUsage();
    const result = await work();
    const used = process.cpuUsage(cpu);
    const seconds = (performance.now() - start) / 1000;
    const after = await this.sample();
    let server: number | null = 0;
    for (const [pid, now] of after) {
      if (now === null) server = null;
      // A backend that connected during the work started from nothing.
      else if (server !== null) server += now - (before.get(pid) ?? 0);
    }
    return { result, seconds, cpuSeconds: (used.user + used.system) / 1e6, serverCpuSeconds: server };
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
