import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeCsvCell, formatCsv } from '../../../src/http/routes/incidents-export-route.js';

/** A minimal RFC 4180 reader, to check that what is written reads back cell for cell. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') row.push(cell), (cell = '');
    else if (char === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += char;
  }
  expect(cell).toBe('');
  expect(row).toEqual([]);
  return rows;
}

describe('escapeCsvCell', () => {
  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(escapeCsvCell('plain')).toBe('plain');
    expect(escapeCsvCell('a,b')).toBe('"a,b"');
    expect(escapeCsvCell('say "hi"')).toBe('"say ""hi"""');
    expect(escapeCsvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(escapeCsvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(escapeCsvCell('')).toBe('');
    expect(escapeCsvCell(null)).toBe('');
    expect(escapeCsvCell(undefined)).toBe('');
  });

  it('neutralises spreadsheet formulas with a leading apostrophe', () => {
    expect(escapeCsvCell('=1+1')).toBe("'=1+1");
    expect(escapeCsvCell('+SUM(A1:A9)')).toBe("'+SUM(A1:A9)");
    expect(escapeCsvCell('-2+3')).toBe("'-2+3");
    expect(escapeCsvCell('@SUM(1)')).toBe("'@SUM(1)");
    expect(escapeCsvCell('\t=cmd')).toBe("'\t=cmd");
    expect(escapeCsvCell('\r=cmd')).toBe('"\'\r=cmd"');
    // Both at once: the apostrophe goes inside the quotes.
    expect(escapeCsvCell('=HYPERLINK("http://evil.example","x")')).toBe('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    expect(escapeCsvCell('a=1')).toBe('a=1');
  });

  it("writes Warden's own numbers as they are", () => {
    expect(escapeCsvCell(250.5)).toBe('250.5');
    expect(escapeCsvCell(0)).toBe('0');
    expect(escapeCsvCell(-1)).toBe('-1');
    expect(escapeCsvCell(Number.NaN)).toBe('');
  });
});

describe('formatCsv', () => {
  it('writes a header row and CRLF after every record', () => {
    expect(formatCsv(['key', 'title'], [['inc-1', 'a,b'], ['inc-2', null]])).toBe('key,title\r\ninc-1,"a,b"\r\ninc-2,\r\n');
    expect(formatCsv(['key'], [])).toBe('key\r\n');
  });

  it('reads back cell for cell, and no cell a spreadsheet reads starts a formula', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ maxLength: 20 }), { minLength: 3, maxLength: 3 }), { maxLength: 8 }), (rows) => {
        const parsed = parseCsv(formatCsv(['a', 'b', 'c'], rows));
        expect(parsed[0]).toEqual(['a', 'b', 'c']);
        expect(parsed).toHaveLength(rows.length + 1);
        parsed.slice(1).forEach((row, i) => {
          row.forEach((cell, j) => {
            expect(cell).not.toMatch(/^[=+\-@\t\r]/);
            const original = rows[i]![j]!;
            expect(cell).toBe(/^[=+\-@\t\r]/.test(original) ? `'${original}` : original);
          });
        });
      }),
    );
  });
});
