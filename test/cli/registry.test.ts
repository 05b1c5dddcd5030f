import { describe, expect, it } from 'vitest';
import { COMMAND_MODULES, commandNameOf } from '../../src/cli/registry.ts';

describe('command registry', () => {
  it('lists, for each module, exactly the commands it defines, each name once', async () => {
    const seen: string[] = [];
    for (const entry of COMMAND_MODULES) {
      const commands = await entry.load();
      expect(commands.map((c) => c.name())).toEqual(entry.names);
      seen.push(...entry.names);
    }
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('finds the command after the global options, whatever their form', () => {
    expect(commandNameOf(['--db', 'x.db', '--company', 'c1', 'plan', '--date', '2026-01-01'])).toBe('plan');
    expect(commandNameOf(['--db=x.db', 'invoices', 'list'])).toBe('invoices');
    expect(commandNameOf(['--help'])).toBeNull();
    expect(commandNameOf([])).toBeNull();
  });
});
