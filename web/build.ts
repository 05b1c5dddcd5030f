import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds the web app into web/dist when it is missing or older than its sources, so `npm start` on a
 * fresh clone serves it and a rebuild after a change happens by itself. Run: node --import tsx web/build.ts
 */
export const WEB_DIR = fileURLToPath(new URL('.', import.meta.url));
export const DIST_DIR = join(WEB_DIR, 'dist');

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

export function webBuildIsFresh(): boolean {
  const index = join(DIST_DIR, 'index.html');
  if (!existsSync(index)) return false;
  const sources = Math.max(
    newest(join(WEB_DIR, 'src')),
    newest(join(WEB_DIR, 'index.html')),
    newest(join(WEB_DIR, 'vite.config.ts')),
  );
  return statSync(index).mtimeMs >= sources;
}

export async function ensureWebBuilt(options: { force?: boolean; quiet?: boolean } = {}): Promise<{ built: boolean }> {
  if (!options.force && webBuildIsFresh()) return { built: false };
  const { build } = await import('vite');
  // Vite and the React plugin take NODE_ENV from the process when it is set: built from the tests (vitest sets
  // NODE_ENV=test) the app was React's development build, which `relance serve` then served as fresh.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: join(WEB_DIR, 'vite.config.ts'),
      logLevel: options.quiet ? 'error' : 'warn',
      mode: 'production',
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  return { built: true };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const force = process.argv.includes('--force');
  try {
    const { built } = await ensureWebBuilt({ force });
    process.stdout.write(built ? `web app built in ${DIST_DIR}\n` : 'web app up to date\n');
  } catch (error) {
    // The API still works without the web app; say why it is missing instead of refusing to start.
    process.stderr.write(`web app not built: ${(error as Error).message}\n`);
    process.exitCode = process.argv.includes('--strict') ? 1 : 0;
  }
}
