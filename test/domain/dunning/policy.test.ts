import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY_JSON,
  defaultPolicy,
  parsePolicy,
  percentToBasisPoints,
} from '../../../src/domain/dunning/policy.ts';
import { AppError, type FieldIssue } from '../../../src/shared/errors.ts';

function issuesOf(json: unknown): FieldIssue[] {
  try {
    parsePolicy(json);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('invalid_input');
    return (error as AppError).issues;
  }
  throw new Error('expected the policy to be refused');
}

const valid = () =>
  structuredClone(DEFAULT_POLICY_JSON) as Record<string, unknown> & { steps: Record<string, unknown>[] };

describe('parsePolicy', () => {
  it('reads the default policy, minimum balance in cents and grouping by customer', () => {
    const policy = defaultPolicy();
    expect(policy.name).toBe('default');
    expect(policy.steps.map((s) => [s.label, s.delayDays, s.from])).toEqual([
      ['Prérelance', -5, 'dueDate'],
      ['1ère relance', 10, 'dueDate'],
      ['2ème relance', 15, 'previousStep'],
      ['Mise en demeure', 15, 'previousStep'],
    ]);
    expect(policy.steps[3]!.formalNotice).toBe(true);
    expect(policy.steps[2]!.channels).toEqual(['email', 'letter']);
    expect(policy.minBalance).toBe(1500);
    expect(policy.minDaysBetween).toBe(7);
    expect(policy.grouping).toBe('customer');
  });

  it('reads the optional parts: templates, per-step charges, contract rate, grouping by invoice', () => {
    const json = valid();
    json.steps[1]!.templates = ['relance-1-fr', 'relance-1-en'];
    json.steps[3]!.charges = true;
    json.charges = { enabled: true, contractRate: '12.5' };
    json.grouping = 'invoice';
    json.minBalance = '0.5';
    const policy = parsePolicy(json);
    expect(policy.steps[1]!.templates).toEqual(['relance-1-fr', 'relance-1-en']);
    expect(policy.steps[3]!.charges).toBe(true);
    expect(policy.charges).toEqual({ enabled: true, contractRate: 1250 });
    expect(policy.grouping).toBe('invoice');
    expect(policy.minBalance).toBe(50);
  });

  it('does not share state between two default policies', () => {
    const a = defaultPolicy();
    a.steps[0]!.label = 'changed';
    expect(defaultPolicy().steps[0]!.label).toBe('Prérelance');
  });

  it('reports each problem with its JSON path', () => {
    const json = valid();
    json.steps[1]!.delayDays = 1.5;
    json.steps[2]!.channels = [];
    json.steps[3]!.channels = ['fax'];
    json.steps[0]!.from = 'tomorrow';
    json.minBalance = '15,00';
    json.minDaysBetween = -1;
    const issues = issuesOf(json);
    const fields = issues.map((i) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'steps.1.delayDays',
        'steps.2.channels',
        'steps.3.channels.0',
        'steps.0.from',
        'minBalance',
        'minDaysBetween',
      ]),
    );
    expect(issues.find((i) => i.field === 'steps.1.delayDays')!.reason).toMatch(/whole number/);
    expect(issues.find((i) => i.field === 'steps.2.channels')!.reason).toMatch(/at least one channel/);
  });

  it('refuses a first step counted from a previous step, even alongside other problems', () => {
    const json = valid();
    json.steps[0]!.from = 'previousStep';
    expect(issuesOf(json)).toEqual([
      {
        field: 'steps.0.from',
        reason: 'the first step cannot count from a previous step',
        code: 'reason.firstStepFrom',
      },
    ]);
    json.minDaysBetween = 'seven';
    expect(
      issuesOf(json)
        .map((i) => i.field)
        .sort(),
    ).toEqual(['minDaysBetween', 'steps.0.from']);
  });

  it('needs at least one step', () => {
    const json = valid();
    json.steps = [];
    expect(issuesOf(json)).toEqual([
      { field: 'steps', reason: 'needs at least one step', code: 'problem.validation.tooFew', params: { count: 1 } },
    ]);
  });

  it('refuses unknown keys, a repeated channel, a bad rate, a bad grouping and missing fields', () => {
    const json = valid();
    json.steps[0]!.delay = 3;
    json.steps[1]!.channels = ['email', 'email'];
    json.charges = { enabled: 'yes', contractRate: '12%' };
    json.grouping = 'company';
    delete json.name;
    const fields = issuesOf(json)
      .map((i) => i.field)
      .sort();
    expect(fields).toEqual([
      'charges.contractRate',
      'charges.enabled',
      'grouping',
      'name',
      'steps.0',
      'steps.1.channels',
    ]);
  });

  it('reports a non-object at the root', () => {
    expect(issuesOf(null)).toEqual([
      { field: '(policy)', reason: expect.stringMatching(/expected object/), code: 'problem.validation.type' },
    ]);
    expect(issuesOf('policy')[0]!.field).toBe('(policy)');
  });

  it('says how many problems there are', () => {
    const json = valid();
    json.minBalance = 'x';
    json.minDaysBetween = 'y';
    expect(() => parsePolicy(json)).toThrow('invalid dunning policy: 2 problems');
  });
});

describe('percentToBasisPoints', () => {
  it('works on the string', () => {
    expect(percentToBasisPoints('12')).toBe(1200);
    expect(percentToBasisPoints('12.5')).toBe(1250);
    expect(percentToBasisPoints('0.07')).toBe(7);
    expect(percentToBasisPoints('14.15')).toBe(1415);
  });
});
