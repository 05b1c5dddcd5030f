import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const deploy = (name: string) => new URL(`../../deploy/${name}`, import.meta.url);
const analyzer = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((path) => existsSync(path));

describe('production files', () => {
  // The unit is checked by systemd itself where it is installed; without systemd the check says so and passes.
  it('the systemd unit passes systemd-analyze verify', () => {
    if (!analyzer) {
      console.warn('systemd-analyze is not installed: deploy/relance.service not verified');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'relance-unit-'));
    try {
      copyFileSync(deploy('relance.service'), join(dir, 'relance.service'));
      const result = spawnSync(analyzer!, ['verify', join(dir, 'relance.service')], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).not.toMatch(/relance\.service:\d+:/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs relance serve behind the proxy the examples configure', () => {
    const unit = readFileSync(deploy('relance.service'), 'utf8');
    expect(unit).toMatch(/^ExecStart=.*bin\/relance\.js serve .*--trust-proxy/m);
    expect(unit).toContain('EnvironmentFile=/etc/relance/relance.env');
    const port = /--port (\d+)/.exec(unit)![1];
    expect(readFileSync(deploy('Caddyfile'), 'utf8')).toContain(`reverse_proxy 127.0.0.1:${port}`);
    const nginx = readFileSync(deploy('nginx.conf'), 'utf8');
    expect(nginx).toContain(`proxy_pass http://127.0.0.1:${port}`);
    expect(nginx).toContain('X-Forwarded-Proto');
    // Every variable of the example environment file is one relance reads.
    const env = readFileSync(deploy('relance.env.example'), 'utf8');
    const names = [...env.matchAll(/^#? ?(RELANCE_[A-Z_]+)=/gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(3);
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const name of names) expect(readme, name).toContain(name!);
  });
});
