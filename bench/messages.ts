import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMessageContexts, type ContextRequest } from '../src/communications/load-context.ts';
import { loadDemo } from '../src/demo/load-demo.ts';
import { planDunning } from '../src/dunning/run-dunning.ts';
import { ensureDefaultCompany } from '../src/storage/companies.ts';
import { openStore, type Store } from '../src/storage/database.ts';
import { loadTemplates } from '../src/templates/stored.ts';
import { templateKeyForStep } from '../src/templates/keys.ts';
import { renderField, renderMessage } from '../src/templates/render.ts';
import { templateScope } from '../src/templates/scope.ts';
import { defaultPolicy } from '../src/domain/dunning/policy.ts';
import { machine, rate, timed, writeResult } from './support.ts';

const AS_OF = '2026-11-25';
const PG_URL = process.env.RELANCE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

type Figures = {
  dialect: string;
  messages: number;
  invoices: number;
  loadSeconds: number;
  renderSeconds: number;
  letterSeconds: number;
};

/**
 * What the letter and e-mail batches cost on the templates side: the message contexts of a run's
 * communications (set-based loading) and their rendering with the default templates, per dialect.
 */
async function measure(store: Store, dialect: string, batch: number): Promise<Figures> {
  const company = await ensureDefaultCompany(store.db);
  const plan = await planDunning(store.db, company.id, { date: AS_OF });
  const ids = new Map(
    (await store.db.selectFrom('invoices').select(['id', 'number']).where('company_id', '=', company.id).execute()).map(
      (r) => [r.number, r.id],
    ),
  );
  const requests: ContextRequest[] = plan.communications.slice(0, batch).map((c) => ({
    customerId: c.customerId,
    invoiceIds: c.invoices.map((i) => ids.get(i.invoice)!),
    level: c.level,
    date: AS_OF,
  }));
  await loadMessageContexts(store.db, company.id, requests.slice(0, 50)); // warm caches and prepared statements
  const loaded = await timed(() => loadMessageContexts(store.db, company.id, requests));
  const templates = await loadTemplates(store.db, company.id);
  const policy = defaultPolicy();
  const rendered = await timed(async () => {
    for (const context of loaded.result) {
      renderMessage(templates(templateKeyForStep(policy, context.level.number), context.language), context, {
        strict: true,
      });
    }
  });
  const letters = await timed(async () => {
    for (const context of loaded.result) {
      renderField(
        templates(templateKeyForStep(policy, context.level.number), context.language),
        'letter',
        templateScope(context),
      );
    }
  });
  return {
    dialect,
    messages: requests.length,
    invoices: requests.reduce((n, r) => n + r.invoiceIds.length, 0),
    loadSeconds: loaded.seconds,
    renderSeconds: rendered.seconds,
    letterSeconds: letters.seconds,
  };
}

export async function benchMessages(options: {
  invoices: number;
  customers: number;
  seed: number;
  batch?: number;
}): Promise<Figures[]> {
  const batch = options.batch ?? 2_000;
  const dir = mkdtempSync(join(tmpdir(), 'relance-bench-messages-'));
  const results: Figures[] = [];
  try {
    for (const target of [
      join(dir, 'messages.db'),
      `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=bench_messages`,
    ]) {
      let store: Store;
      try {
        if (target.startsWith('postgres')) await dropSchema();
        store = await openStore(target);
      } catch (error) {
        console.log(`skipped ${target}: ${(error as Error).message}`);
        continue;
      }
      try {
        const company = await ensureDefaultCompany(store.db);
        await loadDemo(store.db, company.id, {
          invoices: options.invoices,
          customers: options.customers,
          seed: options.seed,
          asOf: AS_OF,
        });
        const figures = await measure(store, store.dialect, batch);
        console.log(
          `${figures.dialect}: ${figures.messages} contexts (${figures.invoices} invoices) loaded in ` +
            `${figures.loadSeconds.toFixed(3)} s (${rate(figures.messages, figures.loadSeconds)}), rendered (4 fields) in ` +
            `${figures.renderSeconds.toFixed(3)} s (${rate(figures.messages, figures.renderSeconds)}), letter text only ` +
            `${rate(figures.messages, figures.letterSeconds)}`,
        );
        results.push(figures);
      } finally {
        await store.close();
        if (target.startsWith('postgres')) await dropSchema();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rows = results.map(
    (f) =>
      `| ${f.dialect} | ${f.messages} | ${f.invoices} | ${f.loadSeconds.toFixed(3)} s (${rate(f.messages, f.loadSeconds)}) | ` +
      `${f.renderSeconds.toFixed(3)} s (${rate(f.messages, f.renderSeconds)}) | ${rate(f.messages, f.letterSeconds)} | ` +
      `${rate(f.messages, f.loadSeconds + f.renderSeconds)} |`,
  );
  writeResult(
    'messages',
    `# Message contexts and templates benchmark

Machine: ${machine()}. Demo ledger: ${options.invoices.toLocaleString('en-US')} invoices, ${options.customers.toLocaleString('en-US')} customers; the first ${batch} communications of the plan of ${AS_OF}; default templates, strict rendering.

| dialect | messages | invoices | load contexts | render subject + text + HTML + letter | letter text only | load + render |
|---|---|---|---|---|---|---|
${rows.join('\n')}

The documents and mail benchmarks add PDF layout and SMTP on top of these figures (targets: 300 letters/s, 400 e-mails/s).
`,
    { asOf: AS_OF, batch, ...options, results },
  );
  return results;
}

async function dropSchema(): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query('drop schema if exists bench_messages cascade');
  await client.end();
}
