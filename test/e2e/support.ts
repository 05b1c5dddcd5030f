import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoLogin } from '../../src/accounts/demo-login.ts';
import { todayIn } from '../../src/domain/calendar.ts';
import type { Company } from '../../src/domain/ledger.ts';
import { loadDemo } from '../../src/demo/load-demo.ts';
import { buildApp } from '../../src/http/app.ts';
import { saveMailSettings } from '../../src/mail/settings.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { openStore, type Store } from '../../src/storage/database.ts';
import { findUserByEmail, setMembership } from '../../src/storage/users.ts';
import { DIST_DIR, ensureWebBuilt } from '../../web/build.ts';
import { startSink, type Sink } from '../mail/support/sink.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const browserAvailable = existsSync(CHROMIUM);
// The committed screenshots are refreshed on purpose (`npm run screenshots`), not by every test run, which
// would leave them modified in every checkout; otherwise they go to a temporary folder.
export const SCREENSHOTS =
  process.env.RELANCE_SCREENSHOTS === '1'
    ? join(import.meta.dirname, '../../docs/screenshots')
    : mkdtempSync(join(tmpdir(), 'relance-screens-'));

/**
 * One real server for the whole file: `buildApp` listening on a free port with the built web app, a
 * fresh SQLite file holding demo data, an SMTP peer that keeps what it receives, and one headless Chromium.
 */
export type World = {
  store: Store;
  company: Company;
  other: Company;
  today: string;
  url: string;
  sink: Sink;
  login: { email: string; password: string };
  app: FastifyInstance;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  dir: string;
  close(): Promise<void>;
};

/**
 * A describe block of browser tests, defined only when they can run: a machine without Chromium reports a
 * warning, not skipped tests; CI (RELANCE_REQUIRE_BROWSER=1) gets a failure instead.
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (browserAvailable) {
    describe(name, { timeout: 60_000 }, body);
    return;
  }
  console.warn(
    `\n⚠ ${name}: browser tests SKIPPED, ${CHROMIUM} is missing (install Debian's chromium; CI sets RELANCE_REQUIRE_BROWSER=1).\n`,
  );
  if (process.env.RELANCE_REQUIRE_BROWSER === '1') {
    describe(name, () => {
      it('needs Chromium when RELANCE_REQUIRE_BROWSER=1', () => {
        expect.fail(`${CHROMIUM} is missing and RELANCE_REQUIRE_BROWSER=1 requires the browser tests to run`);
      });
    });
  }
}

/** Opens a path of the web app and waits until its data has loaded. */
export async function visit(w: World, path: string): Promise<void> {
  await w.page.goto(`${w.url}${path}`);
  await w.page.waitForLoadState('networkidle');
}

/** Logs in through the login screen with the demo login. */
export async function logIn(w: World): Promise<void> {
  await visit(w, '/');
  await w.page.locator('input[name=email]').fill(w.login.email);
  await w.page.locator('input[name=password]').fill(w.login.password);
  await w.page.getByRole('button', { name: 'Se connecter' }).click();
  await w.page.getByRole('heading', { name: 'Tableau de bord' }).waitFor();
}

export async function startWorld(options: { customers?: number; invoices?: number } = {}): Promise<World> {
  await ensureWebBuilt({ quiet: true });
  const dir = mkdtempSync(join(tmpdir(), 'relance-e2e-'));
  const store = await openStore(join(dir, 'relance.db'));
  const company = await createCompany(store.db, { legalName: 'Démo Menuiserie SARL' }, { isDefault: true });
  const today = todayIn(company.timeZone);
  await loadDemo(store.db, company.id, {
    customers: options.customers ?? 30,
    invoices: options.invoices ?? 400,
    seed: 7,
    asOf: today,
  });
  const login = await demoLogin(store.db, company.id);
  // A second company of the same person, for the company switch (after the demo one by name: login opens the first).
  const other = await createCompany(store.db, { legalName: 'Zénith Bis SAS' });
  await setMembership(store.db, other.id, (await findUserByEmail(store.db, login.email))!.id, { role: 'admin' });
  const sink = await startSink();
  await saveMailSettings(store.db, company.id, { smtpUrl: sink.url, from: 'relances@menuiserie.example' });
  const app = await buildApp({ db: store.db, webRoot: DIST_DIR, dataDir: dir });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  const context = await browser.newContext({
    acceptDownloads: true,
    viewport: { width: 1440, height: 900 },
    locale: 'fr-FR',
  });
  const page = await context.newPage();
  return {
    store,
    company,
    other,
    today,
    url,
    sink,
    login,
    app,
    browser,
    context,
    page,
    dir,
    async close() {
      await browser.close().catch(() => undefined);
      await app.close();
      await sink.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Amounts as the web app prints them in French (1 234,56 €), computed here independently of the page. */
export function euros(cents: number): string {
  return new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

/** Intl uses narrow no-break spaces; compare texts with every kind of space folded to one. */
export function spaces(text: string | null): string {
  return (text ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's serious and critical violations on the page as it is now, as readable lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the app's Content-Security-Policy rightly refuses an injected <script>.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(`${readFileSync(AXE, 'utf8')};0`);
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(
            ctx: unknown,
            o: unknown,
          ): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, {
      resultTypes: ['violations'],
    });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(', ')}`,
      );
  });
}
