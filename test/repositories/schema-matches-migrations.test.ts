import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { dialects, freshStore } from '../support/stores.ts';

/**
 * `src/storage/schema.ts` is what the compiler believes about the tables; the migrations are what the
 * database holds. Nothing ties the two together at run time, so a column added to one and forgotten in
 * the other would only show as a failing query in production. This reads the `Database` type with the
 * TypeScript parser and compares it with the tables a fresh migration creates, on each engine.
 */
function declaredTables(): Map<string, Set<string>> {
  const path = new URL('../../src/storage/schema.ts', import.meta.url);
  const source = ts.createSourceFile('schema.ts', readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const aliases = new Map<string, ts.TypeNode>();
  for (const statement of source.statements) {
    if (ts.isTypeAliasDeclaration(statement)) aliases.set(statement.name.text, statement.type);
  }
  const columnsOf = (node: ts.TypeNode): Set<string> => {
    if (ts.isTypeLiteralNode(node)) {
      return new Set(node.members.flatMap((m) => (m.name && ts.isIdentifier(m.name) ? [m.name.text] : [])));
    }
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
      const target = aliases.get(node.typeName.text);
      if (target) return columnsOf(target);
    }
    throw new Error(`schema.ts: cannot read the columns of ${node.getText(source)}`);
  };
  const database = aliases.get('Database');
  if (!database || !ts.isTypeLiteralNode(database)) throw new Error('schema.ts has no Database type literal');
  const tables = new Map<string, Set<string>>();
  for (const member of database.members) {
    if (!ts.isPropertySignature(member) || !member.type || !ts.isIdentifier(member.name)) continue;
    tables.set(member.name.text, columnsOf(member.type));
  }
  return tables;
}

describe.each(dialects)('storage schema on %s', (dialect) => {
  it('declares exactly the tables and columns the migrations create', async () => {
    const store = await freshStore(dialect, { fromMigrations: true });
    try {
      const migrated = (await store.db.introspection.getTables()).filter(
        (table) => !table.isView && (dialect === 'sqlite' || table.schema === store.schema),
      );
      const actual = new Map(migrated.map((t) => [t.name, new Set(t.columns.map((c) => c.name))]));
      const declared = declaredTables();
      // Tables only raw SQL reads (kept by triggers) may stay out of the typed schema, but every table the
      // typed schema names must exist with exactly its columns.
      for (const [table, columns] of declared) {
        expect(actual.has(table), `table ${table} of schema.ts is not created by the migrations`).toBe(true);
        expect([...(actual.get(table) ?? [])].sort(), `columns of ${table}`).toEqual([...columns].sort());
      }
      const undeclared = [...actual.keys()].filter((name) => !declared.has(name)).sort();
      expect(undeclared, 'tables the migrations create that schema.ts does not declare').toEqual(
        undeclaredOnPurpose.filter((name) => actual.has(name)),
      );
    } finally {
      await store.dispose();
    }
  });
});

/**
 * Tables written and read by raw SQL only, deliberately outside schema.ts: SQLite's full-text index of customer
 * names and codes (an FTS5 table kept by triggers) and the shadow tables FTS5 creates for it.
 */
const undeclaredOnPurpose: string[] = [
  'customers_search',
  'customers_search_config',
  'customers_search_data',
  'customers_search_docsize',
  'customers_search_idx',
];
