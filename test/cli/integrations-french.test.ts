import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/domain/calendar.ts';
import { workspace } from './support.ts';

const FEC = join(import.meta.dirname, '../fixtures/integrations/fec-sample.txt');

/** `15/03/2026`: how a French reader writes an ISO date. */
const french = (iso: string) => iso.split('-').reverse().join('/');

describe('the integration commands in French', () => {
  it('say the FEC import, direct debits, schedules, follow-ups, holds and the mail settings in French', async () => {
    const ws = workspace();
    const fr = (...args: string[]) => ws.run('--lang', 'fr', ...args);
    const today = todayIn('Europe/Paris');

    const fec = await fr('import', 'fec', FEC, '--dry-run');
    expect(fec.stderr).toBe('');
    expect(fec.stdout).toContain('(FEC, séparateur « | ») : ');
    expect(fec.stdout).toContain('Factures ouvertes : créées 2, déjà connues 0.');
    expect(fec.stdout).toContain('Essai : rien n’a été écrit.');
    expect((await fr('import', 'fec', FEC)).code).toBe(0);

    const hold = await fr('hold', 'CDUPONT', '--law', 'XX');
    expect(hold.code).toBe(1);
    expect(hold.stderr).toContain('loi inconnue (FR, DE, GB, EU ou default)');
    expect((await fr('hold', 'CDUPONT', '--until', addDays(today, 5))).stdout).toBe('Client CDUPONT mis à jour.\n');

    const badIcs = await fr('sepa', 'settings', '--creditor-id', 'FR00ZZZ1');
    expect(badIcs.code).toBe(1);
    expect(badIcs.stderr).toContain('« FR00ZZZ1 » a une clé de contrôle fausse');
    expect((await fr('sepa', 'settings', '--creditor-id', 'FR72ZZZ123456')).stdout).toBe(
      'Identifiant créancier SEPA enregistré : FR72ZZZ123456.\n',
    );

    const invoices = JSON.parse((await ws.run('invoices', 'list', '--open', '--json')).stdout) as {
      number: string;
      balance: string;
    }[];
    const { number, balance } = invoices[0]!;
    const rest = (Math.round(Number(balance) * 100) - 10000) / 100;
    const due = [addDays(today, 10), addDays(today, 40)];
    const schedule = await fr(
      'schedule',
      'set',
      number,
      '--instalment',
      `${due[0]}:100,00`,
      `${due[1]}:${rest.toFixed(2)}`,
    );
    expect(schedule.stderr).toBe('');
    expect(schedule.stdout).toBe(`Facture ${number} : 2 échéances.\n`);
    expect((await fr('quote-policy', 'reset')).stdout).toBe(
      'Scénario de relance des devis remis à celui par défaut.\n',
    );
    expect((await fr('follow-ups', '--dry-run', '--date', today)).stdout).toBe(
      `Rien à relancer le ${french(today)}.\n`,
    );

    const auto = await fr('company', 'set', '--auto', 'peut-être');
    expect(auto.code).toBe(2);
    expect(auto.stderr).toContain('utilisez on ou off');
    expect(auto.stderr).not.toContain('is invalid');

    const mail = await fr('mail', 'show');
    expect(mail.stdout).toContain('Serveur SMTP : -');
    expect(mail.stdout).toContain('Copie cachée : -');
  }, 300_000);
});
