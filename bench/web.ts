import { loadavg } from 'node:os';
import { chromium, type Page } from 'playwright-core';
import { addUser } from '../src/accounts/auth.ts';
import { findUserByEmail, setMembership, setPasswordHash } from '../src/storage/users.ts';
import { hashPassword } from '../src/accounts/passwords.ts';
import { DIST_DIR, ensureWebBuilt } from '../web/build.ts';
import { machine, writeResult } from './support.ts';
import { openCachedLedger, startServe } from './served-ledger.ts';

const EMAIL = 'web-bench@relance.local';
const PASSWORD = 'web-bench-password-123';

type Step = { name: string; runs: number[] };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function ms(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/** Waits until the table shows rows other than `previous` (the first row's number changes or appears). */
async function rowsChange(page: Page, previous: string | null): Promise<string> {
  const first = page.locator('[data-testid=invoice-table] tbody tr').first();
  for (;;) {
    const number = await first.getAttribute('data-number', { timeout: 60_000 }).catch(() => null);
    if (number && number !== previous) return number;
    await page.waitForTimeout(5);
  }
}

/**
 * The invoices screen in Chromium on the cached demo ledger (the API benchmark's file): time to the first
 * rows and to the filter's totals, next page, a search, shift-selecting a page and its totals, and the
 * Relances view (whose categories plan the whole ledger). `relance serve` runs in its own process.
 */
export async function benchWeb(options: {
  invoices: number;
  customers: number;
  seed: number;
  repeat?: number;
}): Promise<unknown> {
  const repeat = options.repeat ?? 5;
  await ensureWebBuilt({ quiet: true });
  const { file, store, company } = await openCachedLedger(options);
  const existing = await findUserByEmail(store.db, EMAIL);
  if (existing) {
    await setPasswordHash(store.db, existing.id, await hashPassword(PASSWORD));
    await setMembership(store.db, company.id, existing.id, { role: 'admin' });
  } else await addUser(store.db, company.id, { email: EMAIL, role: 'admin', password: PASSWORD });
  await store.close();

  const { url, server } = await startServe(file, { portBase: 40_000, web: DIST_DIR });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  const steps: Step[] = [];
  const step = (name: string) => {
    const s = { name, runs: [] as number[] };
    steps.push(s);
    return s;
  };
  try {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    page.setDefaultTimeout(300_000);
    await page.goto(url);
    await page.locator('input[name=email]').fill(EMAIL);
    await page.locator('input[name=password]').fill(PASSWORD);
    step('log in: dashboard figures shown').runs.push(
      await ms(async () => {
        await page.getByRole('button', { name: 'Se connecter' }).click();
        await page.getByText('Balance âgée').waitFor();
      }),
    );

    const open = step('open /invoices?status=overdue: first 50 rows shown');
    const totals = step('… and the totals of the filter shown');
    const next = step('next page (keyset cursor)');
    const search = step('search "C0000" typed: rows of the new filter');
    const select = step('click + shift-click 50 rows: selection totals updated');
    for (let i = 0; i < repeat; i++) {
      await page.goto(`${url}/settings/company`);
      const start = performance.now();
      await page.goto(`${url}/invoices?status=overdue`);
      let first = await rowsChange(page, null);
      open.runs.push(performance.now() - start);
      await page
        .getByTestId('filter-totals')
        .locator('[data-field=count]')
        .filter({ hasNotText: /^0 facture/ })
        .waitFor({ timeout: 120_000 });
      totals.runs.push(performance.now() - start);
      next.runs.push(
        await ms(async () => {
          await page.getByTestId('next-page').click();
          first = await rowsChange(page, first);
        }),
      );
      const rows = page.locator('[data-testid=invoice-table] tbody tr');
      select.runs.push(
        await ms(async () => {
          await rows.nth(0).getByTestId('row-select').click();
          await rows
            .nth(49)
            .getByTestId('row-select')
            .click({ modifiers: ['Shift'] });
          await page
            .getByTestId('selection-totals')
            .locator('[data-field=count]')
            .filter({ hasText: /^50 factures$/ })
            .waitFor();
        }),
      );
      search.runs.push(
        await ms(async () => {
          await page.locator('input[name=q]').fill(`C0000${i}`);
          first = await rowsChange(page, first);
        }),
      );
    }
    const relances = step('open /relances: categories shown (plans the whole ledger)');
    for (let i = 0; i < Math.min(repeat, 2); i++) {
      await page.goto(`${url}/settings/company`);
      relances.runs.push(
        await ms(async () => {
          await page.goto(`${url}/relances`);
          await page.getByTestId('categories').locator('[data-category]').first().waitFor({ timeout: 300_000 });
        }),
      );
    }
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
  const md = `# Web app benchmark: the invoices screen on a large ledger (SQLite)

Machine: ${machine()}. Ledger: ${options.invoices.toLocaleString('en-US')} demo invoices, ${options.customers.toLocaleString('en-US')} customers (seed ${options.seed}).
\`relance serve\` in its own process serving the production build; headless Debian Chromium driven by Playwright; each step
measured from the action to the screen showing its result, ${repeat} times (median and worst). Load average at the end
(1/5/15 min): ${load} on this shared machine.

| step | median | worst |
|---|---|---|
${steps.map((s) => `| ${s.name} | ${median(s.runs).toFixed(0)} ms | ${Math.max(...s.runs).toFixed(0)} ms |`).join('\n')}
`;
  writeResult('web', md, { loadAverage: load, invoices: options.invoices, customers: options.customers, steps });
  console.log(md);
  return steps;
}
