import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationProvider } from '../../src/storage/migrations/index.ts';
import { openStore, pendingMigrations } from '../../src/storage/database.ts';

/**
 * Migrations that shipped in a release run on databases already upgraded by them: changing one would
 * leave those databases different from new ones. Add a migration's checksum here when it is released.
 */
const RELEASED: Record<string, string> = {
  '0001-ledger': '43ef5dad214005d5cb52757e7cc679f9635c5ad96b99cc5b2aa9efd5dfb8c8c9',
  '0002-dunning': '7ec787e46986a932efc6f0b18dda979233adb8f12ed9e2aaed3ad6de1c2cf69d',
  '0003-templates': '707f48753776b1557aecb33d3fd0ca27b751064755d0aec7a7fedca387238bfc',
  '0004-documents': 'e1bf66108516fa3b0a58d21d21c5f6b27d185e48af860a178871ccd3b03ae437',
  '0005-mail': 'e8dddcfccf6fe40462840ffc2ddf9ad50dca1879d6445071be559a281fba7061',
  '0006-accounts': '93a15d75328d048a706dcd7cb5056b02c6ce5a70e50907b0f49dbe313aa55df4',
  '0007-integrations': 'e9bcba2ff163f51935f7988b5f1733980b231a0b0dae5faacbe1006c7c96c69e',
  '0008-reports': 'e215cc51d27383630d49b1be76ff356290eb57852e873bbe7447c2fded586aed',
  '0009-invoice-categories': '114c9900e59cd25fb35c6456c1cafb8b6bb9c79a55bd58c93c8cb3ec77d622d5',
  '0010-invoice-category-counts': 'aa5dd81b72d063a873194716fe5fbf213294d749ac78c49ed86a5499c812f010',
  '0011-leaner-invoice-indexes': 'b83fa900f92ef5e4deed47ec1755b204f97906b03b2439e8993108573e2f628c',
  '0012-invoice-open-totals': '0129a8954ffcc3cca7ea51e92cdf552e62094ecc94dc522c34cf900a041feaf5',
  '0013-send-time-check': '8429faa7e3a171bd74a272f87a9855fd54da467afaf84823a9c1a54b5e2730e7',
  '0014-late-payment-law': '2efab362feee4973acfcc58037c99a71e3ded01998d927a6b56b4bfc7df05e81',
  '0015-installation-admins-invitations': '43bd01044a067b20cba86d763a3ac86d6037b67dfa1c7ab75b4a67fbd739c45a',
  '0016-company-identity': 'c276a55f1a9bd18d23aab37d0c1d3460c8558f0ba3f75470d424609af91dde5a',
  '0018-search': 'eeb029da0fc2f154817149b7540dbfe6b7b2d98f5cd9de23a3bc93f9885b3bc8',
  '0019-customer-activities': '337629e33a2c5112f6ebeeee7b95f7a98a3b56e0b5fdfb868dc47c930c3dff60',
  '0020-reminder-states': 'c725eaf9eb817fab9983ca9d855fc2a27e5d9d943bdfa20cbac3eff9c96893d1',
  '0021-outbox-error-codes': 'ef638005ea90af6c7911013f537aabdadd524215381a418301df631e43483c35',
  '0035-cheque-remittances': '62ef981e989f25ec0774ace0c655afb3f3fd0f001e7ae49218125869d31b8b6e',
  '0036-invoice-sort-indexes': 'b159ad99820a1df921bd767a14d580d8436ce7e0b7dca071591db83cb3b20e83',
  '0038-number-prefix-collation': '266fb1805613a039c7410c3563e6b6345b29cce5d828044e2ba8025c29c0f4be',
  '0039-customer-portal': '347eb39af2c3fd16cdb7b08f69625bbd6936f353bb956063655e8fc4f9d82278',
  '0040-customer-replies': 'a991c87b3df5c0986c311f613dd59d9faa76469c88f147cea51edf06b66afefa',
  '0041-search-customer-index': '20b07e731f4a1fc9678415f395bbb0d97359acfa3dc0fa43c23dc1b446e8b765',
  '0042-portal-settings': '6b0e9cd2eaae39f11efa400d38eaacdc1360857bc5cb413d157b94462f12422d',
  '0043-invoice-promise-index': '1c3d3d06602c1dc271818e4341b8c271a747c44e626585d67fe8d3ba241b7217',
  '0044-customer-search-index-current': '2b89f944395f9748cebd196c72297bf3be5953c4231af68b1f2dec926194e972',
  '0045-search-data-version': '6fb7c01ecac7fd1fa18072be9cdbab732d869fadb15d0eec1b8183d13b5a27d2',
  '0050-portal-answer-marks': '4fc5eda22abc3bd5537df0f1767a20a405f09cebd8c4694725b15107edcecf23',
  '0052-communications-run-index': '0f35728bddc0b06849a2f38b9877a6fe04806daf0458971fe0d9fa3c740143cf',
  '0054-search-writers': '2ebf204da788effc76c9c16f8fd6576d7f73158881b1b2eb8632fb1136dc60eb',
  '0055-customer-search-merged': '6dc2d820cb65fff421848c6c456a2f56e6ebb27b78768ef1f7b0bdec25efee79',
};

const dir = mkdtempSync(join(tmpdir(), 'relance-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('upgrades', () => {
  it('never change a released migration, and every released one is still run', async () => {
    const registered = Object.keys(await migrationProvider.getMigrations());
    for (const [name, checksum] of Object.entries(RELEASED)) {
      expect(registered, name).toContain(name);
      const text = readFileSync(new URL(`../../src/storage/migrations/${name}.ts`, import.meta.url));
      expect(createHash('sha256').update(text).digest('hex'), `${name} changed after its release`).toBe(checksum);
    }
  });

  it('lists what is pending, and refuses a database a newer version upgraded', async () => {
    const file = join(dir, 'a.db');
    const fresh = await openStore(file, { migrate: false });
    expect(await pendingMigrations(fresh.db)).toEqual(Object.keys(await migrationProvider.getMigrations()).sort());
    await fresh.close();
    const store = await openStore(file);
    expect(await pendingMigrations(store.db)).toEqual([]);
    await sql`insert into kysely_migration (name, timestamp) values ('9999-from-the-future', '2030-01-01T00:00:00.000Z')`.execute(
      store.db,
    );
    await store.close();
    await expect(openStore(file)).rejects.toThrow(
      /upgraded by a newer version of relance \(migrations 9999-from-the-future/,
    );
  });
});
