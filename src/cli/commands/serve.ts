import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { words } from '../words.ts';
import { Command, InvalidArgumentError } from 'commander';
import type { Store } from '../../storage/database.ts';
import { dataDirOf, type GlobalOptions } from '../context.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Where the web app's production build lands; served under / when present. */
export const DEFAULT_WEB_ROOT = join(ROOT, 'web', 'dist');

export type ServeOptions = {
  port: number;
  host: string;
  trustProxy?: boolean | number;
  logLevel?: string;
  web?: string;
  /** false when a separate `relance scheduler` process runs the daily runs and the outbox retries. */
  scheduler?: boolean;
};

function portOption(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError(words().t('cli.report.arg.port', { value }));
  return port;
}

function hopsOption(value: string): number {
  const hops = Number(value);
  if (!Number.isInteger(hops) || hops < 1 || hops > 10)
    throw new InvalidArgumentError(words().t('cli.report.arg.proxies', { value }));
  return hops;
}

/** Serves the API (and the web app when built) until SIGINT/SIGTERM, then closes cleanly. */
export async function serveApi(store: Store, options: ServeOptions, announce: (url: string) => void): Promise<void> {
  // The server and its workers are loaded here, not with the command's definition: `relance serve --help` or a
  // wrong flag would otherwise load Fastify, every route, the mail and the PDF libraries first.
  const [{ gatherStatistics }, { startPlanThread }, { buildApp }, { startWebhookDispatcher }, { startWorkers }] =
    await Promise.all([
      import('../../maintenance/gather-statistics.ts'),
      import('../../dunning/split-plan.ts'),
      import('../../http/app.ts'),
      import('../../webhooks/dispatcher.ts'),
      import('../../scheduler/workers.ts'),
    ]);
  // A ledger loaded without statistics (by another tool, or an older version) would have its lists planned as
  // scans of the whole table until someone runs ANALYZE.
  await gatherStatistics(store.db);
  // The second thread of large plans on SQLite, loaded now: a one-off command never starts it (split-plan.ts).
  if (store.dialect === 'sqlite') void startPlanThread();
  const webRoot = options.web ?? DEFAULT_WEB_ROOT;
  const app = await buildApp({
    db: store.db,
    trustProxy: options.trustProxy,
    webRoot: existsSync(webRoot) ? webRoot : undefined,
    logger: { level: options.logLevel ?? 'info' },
    dataDir: dataDirOf(store),
  });
  const dispatcher = startWebhookDispatcher(store.db, (message) => app.log.warn(message));
  // Automatic mode must work with nothing but `relance serve` running: the daily runs and the
  // outbox retries live in this process unless a separate worker was chosen.
  const workers =
    options.scheduler === false
      ? null
      : startWorkers(store.db, { dataDir: dataDirOf(store), log: (message) => app.log.info(message) });
  const address = await app.listen({ port: options.port, host: options.host });
  announce(address);
  // Customers' answers are taken here too when a port is given, so one process is enough.
  const replyPort = process.env.RELANCE_REPLY_PORT?.trim();
  const replies = replyPort
    ? await (
        await import('../../mail/replies.ts')
      ).startReplyListener(store.db, {
        port: portOption(replyPort),
        host: process.env.RELANCE_REPLY_HOST?.trim() || options.host,
      })
    : null;
  if (replies) app.log.info(`reply listener on port ${replies.port}`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await replies?.close();
  await workers?.stop();
  await dispatcher.stop();
  await app.close();
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the HTTP API under /api/v1, its documentation at /api/docs (and the web app when built)')
    .option('--port <n>', 'TCP port', portOption, 3000)
    .option('--host <address>', 'address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .option(
      '--trust-proxy [hops]',
      'behind TLS-terminating reverse proxies: trust X-Forwarded-* through this many of them ' +
        '(default 1); the client address is the one the outermost trusted proxy saw',
      hopsOption,
    )
    .option('--log-level <level>', 'fatal, error, warn, info, debug', 'info')
    .option('--web <dir>', 'folder of the built web app', DEFAULT_WEB_ROOT)
    .option(
      '--no-scheduler',
      'do not run the daily automatic runs and outbox retries here (a `relance scheduler` process does)',
    )
    .action(async (options: ServeOptions, command: Command) => {
      const { openStore } = await import('../../storage/database.ts');
      const store = await openStore(command.optsWithGlobals<GlobalOptions>().db);
      try {
        await serveApi(store, options, (url) =>
          process.stdout.write(
            `relance API on ${url}/api/v1 (documentation: ${url}/api/docs), ` + `database ${store.location}\n`,
          ),
        );
      } finally {
        await store.close();
      }
    });
}
