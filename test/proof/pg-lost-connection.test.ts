import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import { openStore, type Store } from '../../src/storage/database.ts';
import { call, fixture, loginSession, type Fixture } from '../http/support.ts';
import { dialects, PG_URL } from '../support/stores.ts';

/** Reads a user's screens make, the dashboard first: each one's answer must be a real one or a 503, never a 500. */
const READS = [
  '/api/v1/dashboard',
  '/api/v1/session',
  '/api/v1/company',
  '/api/v1/customers',
  '/api/v1/invoices',
  '/api/v1/invoices/totals',
  '/api/v1/plan?date=2025-06-01',
  '/api/v1/reports/aging?date=2025-06-01',
  '/api/v1/reports/kpis?date=2025-06-01',
  '/api/v1/outbox',
  '/api/v1/setup',
  '/api/v1/tasks/mine',
];

describe.runIf(dialects.includes('postgres'))('PostgreSQL connections killed mid-request (postgres)', () => {
  let f: Fixture;
  let store: Store;
  let app: FastifyInstance;
  const name = `relance_kill_${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    f = await fixture('postgres');
    // A second pool on the same schema, named so that only its connections are killed (the server is shared).
    const separator = PG_URL.includes('?') ? '&' : '?';
    store = await openStore(`${PG_URL}${separator}schema=${f.store.schema}&application_name=${name}`, {
      migrate: false,
    });
    app = await buildApp({ db: store.db, loginLimit: { max: 1000, windowMs: 60_000 } });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await f?.dispose();
  });

  it('answers 503 (never 500) while its connections are terminated under the requests, then answers again', async () => {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    const session = await loginSession(app, f.emails.viewer);
    let killing = true;
    let killed = 0;
    const killer = (async () => {
      while (killing) {
        const { rows } = await admin.query<{ n: string }>(
          `select count(pg_terminate_backend(pid)) as n from pg_stat_activity
           where application_name = $1 and state in ('active', 'idle in transaction') and pid <> pg_backend_pid()`,
          [name],
        );
        killed += Number(rows[0]!.n);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const deadline = Date.now() + 4_000;
    try {
      while (Date.now() < deadline) {
        const replies = await Promise.all(
          READS.flatMap((url) => [
            call(app, f.tokens.collector, 'GET', url).then((r) => ({ url, r })),
            call(app, null, 'GET', url, undefined, { cookie: session.cookie }).then((r) => ({ url, r })),
          ]),
        );
        for (const { url, r } of replies) {
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          if (r.status !== 200 && r.status !== 503) failures.push(`${url}: ${r.status} ${r.raw.slice(0, 200)}`);
          if (r.status === 503) expect(r.body.code).toBe('unavailable');
        }
      }
    } finally {
      killing = false;
      await killer;
      await admin.end();
    }
    expect(failures, JSON.stringify([...statuses])).toEqual([]);
    expect(killed, 'connections terminated under requests').toBeGreaterThan(0);
    expect(statuses.get(503) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(0);
    // Once the connections are no longer killed, the pool connects afresh and every screen answers. The killer's
    // last round may have ended backends whose closing the pool has not yet heard of: give it a moment to.
    await new Promise((resolve) => setTimeout(resolve, 250));
    for (const url of READS) {
      const reply = await call(app, f.tokens.collector, 'GET', url);
      expect(reply.status, `${url}: ${reply.raw.slice(0, 200)}`).toBe(200);
    }
  }, 60_000);
});
