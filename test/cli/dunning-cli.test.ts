import { describe, expect, it } from 'vitest';
import { workspace } from './support.ts';

const POLICY = JSON.stringify({
  name: 'module',
  minBalance: '0.01',
  minDaysBetween: 0,
  steps: [
    { label: 'Relance 1', delayDays: 30, from: 'dueDate', channels: ['email'] },
    { label: 'Relance 2', delayDays: 60, from: 'dueDate', channels: ['email', 'letter'] },
  ],
});

describe('dunning from the command line', { timeout: 240_000 }, () => {
  it('imports a policy, plans, runs once, keeps the history and honours a customer hold', async () => {
    const w = workspace();
    const customers = w.file(
      'c.csv',
      'code,name,kind,email,address1,postcode,city',
      'BREAK,Breaking Crust,company,a@break.fr,1 rue A,75001,Paris',
      'WALK,Walking Bread,company,b@walk.fr,2 rue B,69001,Lyon',
    );
    const invoices = w.file(
      'i.csv',
      'number,customer,issue_date,due_date,total,currency',
      'F1,BREAK,2022-01-01,2022-01-01,180.00,EUR',
      'F3,WALK,2022-02-25,2022-02-25,180.00,EUR',
    );
    expect((await w.run('import', 'customers', customers)).code).toBe(0);
    expect((await w.run('import', 'invoices', invoices)).code).toBe(0);

    const bad = await w.run(
      'policy',
      'import',
      w.file('bad.json', '{"name":"x","steps":[{"label":"A","delayDays":"ten","from":"dueDate","channels":["fax"]}]}'),
    );
    expect(bad.code).toBe(1);
    // Which step and which of its fields, in the reader's words.
    expect(bad.stderr).toContain('steps › no. 1 › delay (days)');
    expect(bad.stderr).toContain('steps › no. 1 › channels');
    const saved = await w.run('policy', 'import', w.file('p.json', POLICY), '--default');
    expect(saved.code).toBe(0);
    expect(saved.stdout).toBe('Policy "module" saved as the default: 2 steps.\n');
    // The same in French, from the catalogue like every other message (still the default policy).
    const again = await w.run('--lang', 'fr', 'policy', 'import', w.file('p.json', POLICY));
    expect(again.stdout).toBe('Politique « module » enregistrée comme politique par défaut : 2 étapes.\n');
    expect(JSON.parse((await w.run('policy', 'show', '--json')).stdout)).toMatchObject({ name: 'module' });

    const plan = JSON.parse((await w.run('plan', '--date', '2022-03-28', '--json')).stdout) as {
      date: string;
      items: { invoice: string; action: string; nextLevel: number; balance: string }[];
    };
    expect(plan.date).toBe('2022-03-28');
    expect(plan.items.map((i) => [i.invoice, i.action, i.nextLevel, i.balance])).toEqual([
      ['F1', 'send', 1, '180.00'],
      ['F3', 'send', 1, '180.00'],
    ]);

    expect((await w.run('hold', 'WALK', '--until', '2022-04-30')).code).toBe(0);
    // No SMTP server: said before anything is recorded; the reminders may still go by post.
    const noSmtp = await w.run('--lang', 'fr', 'run', '--date', '2022-03-28');
    expect(noSmtp.code).toBe(1);
    expect(noSmtp.stderr).toMatch(/Aucun serveur SMTP n'est configuré : aucun e-mail ne peut partir/);
    expect(JSON.parse((await w.run('reminders', '--json')).stdout)).toEqual([]);
    const identity = ['--iban', 'FR7630006000011234567890189', '--address-line1', '1 rue du Port'];
    expect((await w.run('company', 'set', ...identity, '--postcode', '69002', '--city', 'Lyon')).code).toBe(0);
    const run = JSON.parse((await w.run('run', '--date', '2022-03-28', '--letters', '--json')).stdout) as {
      reminders: number;
    };
    expect(run.reminders).toBe(1);
    const second = JSON.parse((await w.run('run', '--date', '2022-03-28', '--letters', '--json')).stdout) as {
      reminders: number;
    };
    expect(second.reminders).toBe(0);
    const history = JSON.parse((await w.run('reminders', '--json')).stdout) as {
      invoice: string;
      level: number;
      sentOn: string;
    }[];
    expect(history).toEqual([expect.objectContaining({ invoice: 'F1', level: 1, sentOn: '2022-03-28' })]);
  });

  it('switches automatic mode on with its time and refuses a bad time', async () => {
    const w = workspace();
    const on = await w.run('company', 'set', '--auto', 'on', '--time', '08:30', '--skip-weekends', 'off', '--json');
    expect(on.code).toBe(0);
    expect(JSON.parse(on.stdout).automation).toEqual({
      enabled: true,
      time: '08:30',
      skipWeekends: false,
      skipHolidays: true,
    });
    const future = await w.run('run', '--date', '2999-01-01');
    expect(future.code).toBe(1);
    expect(future.stderr).toContain('in the future');
    const bad = await w.run('company', 'set', '--time', '8h30');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('HH:MM');
  });
});
