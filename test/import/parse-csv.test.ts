import { describe, expect, it } from 'vitest';
import { CsvRows, parseCsv } from '../../src/import/parse-csv.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** What the import sees of a file: its header, each data row with its line, and why the reading stopped. */
function read(text: string, maxRows?: number) {
  const parsed = parseCsv(utf8(text), 'test.csv', maxRows);
  const rows = new CsvRows(parsed);
  const taken: { values: string[]; line: number }[] = [];
  for (let batch = rows.take(2); batch.length > 0; batch = rows.take(2)) taken.push(...batch);
  return { headers: parsed.headers, delimiter: parsed.delimiter, fatal: parsed.fatal, count: rows.count, rows: taken };
}

describe('parseCsv', () => {
  it('hands out the rows with their lines, a few at a time', () => {
    expect(read('number;total\nF-1;10,50\n\nF-2;3\n')).toEqual({
      headers: ['number', 'total'],
      delimiter: ';',
      fatal: null,
      count: 2,
      rows: [
        { values: ['F-1', '10,50'], line: 2 },
        { values: ['F-2', '3'], line: 4 },
      ],
    });
  });

  it('reads a file without quotes as it reads the same file with a quoted cell', () => {
    // Without quotes the file's own text holds the rows; a quote sends it through the full parser.
    const texts = [
      'a,b\n1,2\n3,4\n',
      'a,b\r\n1,2\r\n\r\n3,4',
      'a;b\n\n \n1;2\n;\n ; \n3;4\n\n',
      '\n\na,b\n1\n1,2,3\n,\n,x\n',
      'a,b\n1,2\r\n3,4\n',
      `a,b\n${'x'.repeat(2500)},2\n3,4\n`,
      'a,b\n1,,2\n3,4\n5,6\n7,8\n',
      '',
      'a,b',
    ];
    for (const text of texts) {
      const quoted = text.replace(/^(\s*)a/, '$1"a"');
      for (const maxRows of [undefined, 2]) {
        expect(read(text, maxRows), JSON.stringify(text)).toEqual(read(quoted, maxRows));
      }
    }
  });

  it('stops at the row beyond the limit, naming its line', () => {
    const result = read('a,b\n1,2\n\n3,4\n5,6\n', 2);
    expect(result.rows.map((r) => r.line)).toEqual([2, 4]);
    expect(result.fatal).toMatchObject({ line: 5, field: '(file)' });
  });
});
