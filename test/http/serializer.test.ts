import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fastSerializerCompiler } from '../../src/http/serializer.ts';
import { InvoiceListItemSchema, page, ProblemSchema, TotalsSchema } from '../../src/http/schemas.ts';

const compile = (schema: z.ZodType) => fastSerializerCompiler({ schema, method: 'GET', url: '/test' });

const item = {
  id: '01a21209-7b6c-753b-bc89-2c622a8c6d56',
  number: 'FC2501-001',
  customerId: '01a21209-7b71-72b3-b6e5-455d1269d59f',
  issueDate: '2025-01-01',
  dueDate: '2025-01-31',
  currency: 'EUR',
  totalExclTax: 100_000,
  total: 120_000,
  allocated: 20_000,
  title: 'Maintenance "annuelle" \u2028 é',
  salesRep: null,
  status: 'issued',
  disputed: false,
  disputeReason: null,
  promiseToPayDate: '2025-02-10',
  customerCode: 'C1',
  customerName: 'Électricité <Générale>',
  balance: 100_000,
  daysOverdue: 29,
  lastReminderOn: '2025-03-01',
};

describe('fast response serializer', () => {
  it('writes what the zod serializer writes: declared fields only, nulls, escapes', () => {
    const schema = page(InvoiceListItemSchema);
    const data = {
      items: [
        { ...item, company_id: 'secret', password_hash: 'x' },
        { ...item, totalExclTax: null, title: null, salesRep: 'Claire', promiseToPayDate: null, internal: { a: 1 } },
      ],
      nextCursor: null,
      debug: true,
    };
    const written = compile(schema)(data);
    expect(JSON.parse(written)).toEqual(z.encode(schema, data as never));
    expect(written).not.toMatch(/secret|password_hash|internal|debug/);
  });

  it('writes totals and problems with optional fields left out', () => {
    const totals = { totals: [{ currency: 'EUR', count: 2, totalExclTax: 1, total: 2, balance: 3, extra: 4 }] };
    expect(JSON.parse(compile(TotalsSchema)(totals))).toEqual(z.encode(TotalsSchema, totals as never));
    const problem = {
      type: 'about:blank',
      title: 'Bad',
      status: 400,
      detail: 'no',
      code: 'invalid_input',
      errors: [{ field: 'query.q', reason: 'too long' }],
      stack: 'at …',
    };
    expect(JSON.parse(compile(ProblemSchema)(problem))).toEqual(z.encode(ProblemSchema, problem as never));
  });

  it('refuses a response missing a declared field, as the zod serializer does', () => {
    const { customerName: _, ...partial } = item;
    expect(() => compile(page(InvoiceListItemSchema))({ items: [partial], nextCursor: null })).toThrow(/customerName/);
  });
});
