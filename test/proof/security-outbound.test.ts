import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliverDue } from '../../src/webhooks/dispatcher.ts';
import { saveMailSettings } from '../../src/mail/settings.ts';
import { createWebhook, deleteWebhook, enqueueEvent, listDeliveries } from '../../src/storage/webhooks.ts';
import { call, fixture, type Fixture } from '../http/support.ts';
import { dialects } from '../support/stores.ts';

/**
 * Outbound requests a user can aim (webhooks, the SMTP server): never at the loopback, the private network
 * or the metadata service unless the installation's allow-list says so, never through a redirect, and a
 * service's banner is never shown. The rest of the suite allows the loopback (vitest.config.ts); here it does not.
 */
const listen = async (server: Server | ReturnType<typeof createTcpServer>) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

describe.each(dialects)('outbound requests on %s', (dialect) => {
  let f: Fixture;
  const allowed = process.env.RELANCE_OUTBOUND_ALLOW;
  beforeAll(async () => {
    f = await fixture(dialect);
  }, 120_000);
  afterEach(() => {
    process.env.RELANCE_OUTBOUND_ALLOW = '';
  });
  afterAll(async () => {
    process.env.RELANCE_OUTBOUND_ALLOW = allowed;
    await f?.dispose();
  });

  it('refuses webhooks to internal addresses however they are written', async () => {
    process.env.RELANCE_OUTBOUND_ALLOW = '';
    for (const url of [
      'http://127.0.0.1:22/',
      'http://localhost/hook',
      'http://2130706433/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]:8080/',
      'http://10.0.0.1/',
      'http://0x7f.1/',
      'http://[::ffff:127.0.0.1]/',
    ]) {
      const reply = await call(f.app, f.tokens.admin, 'POST', '/api/v1/webhooks', { url, events: ['invoice.paid'] });
      expect(reply.status, `${url}: ${reply.raw}`).toBe(422);
    }
  });

  it('checks the address connected to at delivery (a name resolving to the loopback, as in DNS rebinding) and never follows a redirect', async () => {
    let reached = 0;
    const internal = createHttpServer((_req, res) => {
      reached++;
      res.end('internal');
    });
    const internalPort = await listen(internal);
    const redirecting = createHttpServer((_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${internalPort}/admin` });
      res.end();
    });
    const redirectPort = await listen(redirecting);
    try {
      process.env.RELANCE_OUTBOUND_ALLOW = '';
      // Saved through storage: a name that looked public when saved and resolves to 127.0.0.1 when used.
      const hook = await createWebhook(f.store.db, f.alpha.company.id, {
        url: `http://localhost:${internalPort}/x`,
        secret: 's',
        events: ['invoice.paid'],
      });
      await enqueueEvent(f.store.db, f.alpha.company.id, 'invoice.paid', { invoice: 'A-F1' });
      await deliverDue(f.store.db);
      expect(reached).toBe(0);
      const [delivery] = await listDeliveries(f.store.db, f.alpha.company.id, hook.id);
      expect(delivery!.lastError).toMatch(/not a public address/);
      // The redirecting host is allowed (and only it: the first subscriber is gone); where it points is not reached.
      await deleteWebhook(f.store.db, f.alpha.company.id, hook.id);
      process.env.RELANCE_OUTBOUND_ALLOW = `127.0.0.1`;
      const redirect = await createWebhook(f.store.db, f.alpha.company.id, {
        url: `http://127.0.0.1:${redirectPort}/in`,
        secret: 's',
        events: ['invoice.paid'],
      });
      await enqueueEvent(f.store.db, f.alpha.company.id, 'invoice.paid', { invoice: 'A-F3' });
      await deliverDue(f.store.db, { now: new Date(Date.now() + 3 * 60_000) });
      const [followed] = await listDeliveries(f.store.db, f.alpha.company.id, redirect.id);
      expect(followed!.lastError).toBe('HTTP 302');
      expect(reached).toBe(0);
    } finally {
      internal.close();
      redirecting.close();
    }
  });

  it('refuses an SMTP server at an internal address, and never shows what a non-SMTP service says', async () => {
    const ssh = createTcpServer((socket) => socket.end('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'));
    const port = await listen(ssh);
    try {
      await saveMailSettings(f.store.db, f.alpha.company.id, { smtpUrl: `smtp://127.0.0.1:${port}` });
      process.env.RELANCE_OUTBOUND_ALLOW = '';
      const refused = await call(f.app, f.tokens.admin, 'POST', '/api/v1/mail/test', { to: 'essai@example.test' });
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.status).toBeLessThan(500);
      expect(refused.raw).toMatch(/not a public address/);
      process.env.RELANCE_OUTBOUND_ALLOW = '127.0.0.1';
      const banner = await call(f.app, f.tokens.admin, 'POST', '/api/v1/mail/test', { to: 'essai@example.test' });
      expect(banner.status).toBeGreaterThanOrEqual(400);
      expect(banner.raw).not.toMatch(/OpenSSH|SSH-2\.0/);
      expect(banner.raw).toMatch(/did not answer as an SMTP server/);
    } finally {
      ssh.close();
    }
  });
});
