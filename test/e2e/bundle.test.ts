import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIST_DIR, ensureWebBuilt } from '../../web/build.ts';

type Chunk = { file: string; isEntry?: boolean; imports?: string[]; css?: string[] };

/** Gzipped bytes of the JavaScript a browser must load for a route: the entry, the route's chunk and their static imports. */
function javascriptFor(manifest: Record<string, Chunk>, sources: string[]): number {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const next of manifest[key]!.imports ?? []) visit(next);
  };
  sources.forEach(visit);
  return [...seen].reduce(
    (n, key) => n + gzipSync(readFileSync(join(DIST_DIR, manifest[key]!.file)), { level: 9 }).length,
    0,
  );
}

describe('web app production build', () => {
  let manifest: Record<string, Chunk>;
  beforeAll(async () => {
    await ensureWebBuilt({ quiet: true });
    manifest = JSON.parse(readFileSync(join(DIST_DIR, '.vite/manifest.json'), 'utf8')) as Record<string, Chunk>;
  }, 120_000);

  it('keeps the first screen (login, then the dashboard) under 500 KB of gzipped JavaScript, other screens in their own chunks', () => {
    const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry)!;
    const login = javascriptFor(manifest, [entry]);
    const dashboard = javascriptFor(manifest, [entry, 'src/pages/Dashboard.tsx']);
    const invoices = javascriptFor(manifest, [entry, 'src/pages/Invoices.tsx']);
    console.info(
      `first screen JS, gzipped: login ${(login / 1024).toFixed(1)} KB, login + dashboard ${(dashboard / 1024).toFixed(1)} KB, ` +
        `login + invoices ${(invoices / 1024).toFixed(1)} KB`,
    );
    expect(dashboard).toBeLessThan(500 * 1024);
    expect(invoices).toBeLessThan(500 * 1024);
    // Code splitting: the entry does not carry the screens (each is a dynamic import).
    for (const screen of [
      'src/pages/Invoices.tsx',
      'src/pages/Relances.tsx',
      'src/settings/Settings.tsx',
      'src/pages/Dashboard.tsx',
    ]) {
      expect(manifest[screen]?.isEntry).toBeFalsy();
      expect(manifest[entry]!.imports ?? []).not.toContain(screen);
    }
  });
});
