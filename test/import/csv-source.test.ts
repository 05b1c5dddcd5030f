import { describe, expect, it } from 'vitest';
import { decodeCsv, detectDelimiter, normaliseHeader, scanCsv } from '../../src/import/csv-source.ts';
import { issueReason } from '../../src/i18n/index.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Scans `text` and returns what a user would see: each row's cells and the line it starts on. */
function scan(text: string) {
  const rows: { values: string[]; line: number }[] = [];
  const result = scanCsv(text, (values, line) => rows.push({ values, line }));
  return { ...result, rows };
}

describe('decodeCsv', () => {
  it('reads UTF-8', () => {
    expect(decodeCsv(utf8('nom\nSociété Générale\n'))).toEqual({ text: 'nom\nSociété Générale\n', encoding: 'utf-8' });
  });

  it('strips a UTF-8 byte order mark', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('code,name\n')]);
    const decoded = decodeCsv(bytes);
    expect(decoded.text).toBe('code,name\n');
    expect(decoded.text.charCodeAt(0)).not.toBe(0xfeff);
    expect(decoded.encoding).toBe('utf-8');
  });

  it('falls back to Windows-1252 for bytes that are not UTF-8', () => {
    // "Société Générale" as Excel saves it on a French Windows: é is the single byte 0xE9.
    const bytes = Buffer.from('Société Générale', 'latin1');
    expect(bytes.includes(0xe9)).toBe(true);
    expect(decodeCsv(bytes)).toEqual({ text: 'Société Générale', encoding: 'windows-1252' });
  });

  it('decodes the Windows-1252 characters that differ from Latin-1 (€, ’, œ)', () => {
    // 0x80 is €, 0x92 the apostrophe Word types in "l’entreprise", 0x9C is œ; Latin-1 has control codes there.
    const bytes = new Uint8Array([
      ...Buffer.from('l', 'latin1'),
      0x92,
      ...Buffer.from('entreprise ', 'latin1'),
      0x80,
      0x20,
      0x9c,
      ...Buffer.from('uvre ', 'latin1'),
      0xe9,
    ]);
    expect(decodeCsv(bytes)).toEqual({ text: 'l\u2019entreprise € œuvre é', encoding: 'windows-1252' });
  });

  it('reads an empty file', () => {
    expect(decodeCsv(new Uint8Array())).toEqual({ text: '', encoding: 'utf-8' });
  });
});

describe('detectDelimiter', () => {
  it('takes the separator the header line uses', () => {
    expect(detectDelimiter('code,name,kind\n')).toBe(',');
    expect(detectDelimiter('code;name;kind\n')).toBe(';');
  });

  it('looks at the header only, not at amounts with decimal commas in the rows', () => {
    expect(detectDelimiter('number;total\nF-1;1,5,6,7,8\n')).toBe(';');
    expect(detectDelimiter('a,b,c\n1;2;3;4;5;6\n')).toBe(',');
  });

  it('defaults to a comma for a single column', () => {
    expect(detectDelimiter('code')).toBe(',');
    expect(detectDelimiter('')).toBe(',');
  });
});

describe('scanCsv', () => {
  it('reads the header and each row with its line number', () => {
    const result = scan('code,name\nC1,Acme\nC2,Dupont\n');
    expect(result.headers).toEqual(['code', 'name']);
    expect(result.delimiter).toBe(',');
    expect(result.fatal).toBeNull();
    expect(result.rows).toEqual([
      { values: ['C1', 'Acme'], line: 2 },
      { values: ['C2', 'Dupont'], line: 3 },
    ]);
  });

  it('reads semicolon files with French amounts', () => {
    const result = scan('number;total\nF-1;1 234,56\n');
    expect(result.delimiter).toBe(';');
    expect(result.rows).toEqual([{ values: ['F-1', '1 234,56'], line: 2 }]);
  });

  it('handles Windows line endings', () => {
    const result = scan('a,b\r\n1,2\r\n3,4\r\n');
    expect(result.rows).toEqual([
      { values: ['1', '2'], line: 2 },
      { values: ['3', '4'], line: 3 },
    ]);
  });

  it('skips blank lines but counts them in the line numbers', () => {
    const result = scan('a,b\n1,2\n\n3,4\n\n\n5,6\n');
    expect(result.rows).toEqual([
      { values: ['1', '2'], line: 2 },
      { values: ['3', '4'], line: 4 },
      { values: ['5', '6'], line: 7 },
    ]);
  });

  it('counts blank lines before the header', () => {
    const result = scan('\n\na,b\n1,2\n');
    expect(result.headers).toEqual(['a', 'b']);
    expect(result.rows).toEqual([{ values: ['1', '2'], line: 4 }]);
  });

  it('gives the starting line of a quoted cell spanning two lines, and counts both lines', () => {
    const result = scan('code,address\nC1,"1 rue de la Paix\n75002 Paris"\nC2,Lyon\n');
    expect(result.rows).toEqual([
      { values: ['C1', '1 rue de la Paix\n75002 Paris'], line: 2 },
      { values: ['C2', 'Lyon'], line: 4 },
    ]);
  });

  it('combines blank lines and multi-line cells', () => {
    const result = scan('a,b\n\n1,"x\n\ny"\n\n3,4');
    expect(result.rows).toEqual([
      { values: ['1', 'x\n\ny'], line: 3 },
      { values: ['3', '4'], line: 7 },
    ]);
  });

  it('keeps quoted separators and doubled quotes inside a cell', () => {
    const result = scan('name,notes\n"Dupont, Martin","dit ""le grand"""\n');
    expect(result.rows).toEqual([{ values: ['Dupont, Martin', 'dit "le grand"'], line: 2 }]);
  });

  it('stops with a fatal issue on the line of an unterminated quote', () => {
    const result = scan('a,b\n1,2\n3,"unterminated\n4,5\n');
    expect(result.fatal).toMatchObject({ line: 3, field: '(file)' });
    expect(result.fatal!.reason).toContain('badly quoted cell');
    // Said from the catalogue by what the parser's code means, not in its English words.
    expect(issueReason(result.fatal!, 'fr')).toBe('une cellule ouverte par un guillemet (") n’est jamais refermée');
    expect(result.rows).toEqual([{ values: ['1', '2'], line: 2 }]);
  });

  it('stops with a fatal issue on text after a closing quote', () => {
    const result = scan('a,b\n1,2\n3,4\n5,"ab"c\n6,7\n');
    expect(result.fatal).toMatchObject({ line: 4, field: '(file)' });
    expect(result.fatal!.reason).toContain('badly quoted cell');
    expect(issueReason(result.fatal!, 'en')).toBe('misplaced quote ("): inside a quoted cell, a quote is written ""');
  });

  it('reads a file without quotes as the full parser reads it once a cell is quoted', () => {
    // A file without any double quote is split by lines and delimiters; quoting the first header cell sends the
    // same content through the full parser, which must see the same header, rows, line numbers and limits.
    const texts = [
      'a,b\n1,2\n3,4\n',
      'a,b\r\n1,2\r\n\r\n3,4',
      'a;b\n\n \n1;2\n;\n ; \n3;4\n\n',
      '\n\na,b\n1\n1,2,3\n,\n',
      'a,b\n1,2\r\n3,4\n',
      'a,b\r1,2\r3,4\r',
      `a,b\n${'x'.repeat(2500)},2\n`,
      'a,b\n1,2\n3,4\n5,6\n7,8\n',
    ];
    for (const text of texts) {
      const read = (t: string) => {
        const rows: { values: string[]; line: number }[] = [];
        const result = scanCsv(t, (values, line) => rows.push({ values, line }), { maxRows: 3 });
        return { ...result, rows };
      };
      const quoted = text.replace(/^(\s*)a/, '$1"a"');
      expect(read(text), JSON.stringify(text)).toEqual(read(quoted));
    }
  });

  it('gives an empty header for an empty file', () => {
    expect(scan('')).toMatchObject({ headers: [], fatal: null, rows: [] });
  });
});

describe('normaliseHeader', () => {
  it.each([
    ['Due date', 'due_date'],
    [' DUE_DATE ', 'due_date'],
    ['due-date', 'due_date'],
    ['Due  Date', 'due_date'],
    ['[number]', 'number'],
    ['Total', 'total'],
  ])('reads %j as %s', (input, expected) => {
    expect(normaliseHeader(input)).toBe(expected);
  });
});
