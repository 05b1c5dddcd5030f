import { z } from 'zod';
import { AppError, type FieldIssue } from '../../shared/errors.ts';
import { zodIssueReason } from '../../shared/validation-reason.ts';
import { parseAmount } from '../money.ts';

/** A dunning policy: the ladder of reminder steps a company climbs for each unpaid invoice. */
export const ChannelSchema = z.enum(['email', 'letter']);
export const StepOriginSchema = z.enum(['dueDate', 'previousStep', 'issueDate']);
export const GroupingSchema = z.enum(['customer', 'invoice']);
export type Channel = z.infer<typeof ChannelSchema>;
export type StepOrigin = z.infer<typeof StepOriginSchema>;
export type Grouping = z.infer<typeof GroupingSchema>;

// Amounts and rates stay decimal strings in the JSON so no float ever reaches them.
const DECIMAL_AMOUNT = /^\d{1,13}(?:\.\d{1,2})?$/;
const PERCENT = /^\d{1,3}(?:\.\d{1,2})?$/;

/** `"12.5"` percent → 1250 basis points, computed on the string. */
export function percentToBasisPoints(text: string): number {
  const [whole, fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

export const StepSchema = z.strictObject({
  label: z.string().trim().min(1, 'must not be empty'),
  /** The label in each language, for letters and e-mails in that language; `label` when absent. */
  labels: z
    .strictObject({
      fr: z.string().trim().min(1, 'must not be empty').optional(),
      en: z.string().trim().min(1, 'must not be empty').optional(),
    })
    .optional(),
  delayDays: z.number().int('must be a whole number of days').min(-365).max(3650),
  from: StepOriginSchema,
  channels: z
    .array(ChannelSchema)
    .min(1, 'needs at least one channel')
    .refine((list) => new Set(list).size === list.length, 'lists a channel twice'),
  templates: z.array(z.string().trim().min(1, 'must not be empty')).optional(),
  charges: z.boolean().optional(),
  formalNotice: z.boolean().optional(),
});
export type Step = z.infer<typeof StepSchema>;

export const PolicyChargesSchema = z.strictObject({
  enabled: z.boolean(),
  contractRate: z
    .string()
    .regex(PERCENT, 'must be a percentage such as "12.00"')
    .transform(percentToBasisPoints)
    .optional(),
});
/** `contractRate` is in basis points once parsed (12.00 % → 1200). */
export type PolicyCharges = z.infer<typeof PolicyChargesSchema>;

// Step 1 has no previous reminder to count from.
const FIRST_STEP_PATH = ['steps', 0, 'from'] as const;
const FIRST_STEP_REASON = 'the first step cannot count from a previous step';

export const PolicySchema = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty'),
    steps: z.array(StepSchema).min(1, 'needs at least one step'),
    minBalance: z
      .string()
      .regex(DECIMAL_AMOUNT, 'must be a decimal amount such as "15.00"')
      .transform((text) => {
        const parsed = parseAmount(text);
        // The regex already guarantees the canonical form, which parseAmount always accepts.
        return parsed.ok ? parsed.value : 0;
      }),
    minDaysBetween: z.number().int('must be a whole number of days').min(0).max(365),
    charges: PolicyChargesSchema.optional(),
    grouping: GroupingSchema.default('customer'),
    /** An unread answer from the customer holds its next step until someone reads it (absent: yes). */
    pauseOnReply: z.boolean().optional(),
    /** Days a payment the customer announced (payment page) holds its invoices' reminders; 10 when unset. */
    announcedPaymentPauseDays: z.number().int('must be a whole number of days').min(0).max(90).optional(),
  })
  .superRefine((policy, ctx) => {
    if (policy.steps[0]?.from === 'previousStep') {
      ctx.addIssue({
        code: 'custom',
        path: [...FIRST_STEP_PATH],
        message: FIRST_STEP_REASON,
        params: { code: 'reason.firstStepFrom' },
      });
    }
  });

/** Parsed policy: `minBalance` in cents, `grouping` filled in. */
export type Policy = z.infer<typeof PolicySchema>;
export type PolicyJson = z.input<typeof PolicySchema>;

/** Validates a policy's JSON, reporting every problem with its JSON path (`steps.1.delayDays`). */
export function parsePolicy(json: unknown): Policy {
  // Without zod's compiled fast path: a plan parses each of the company's few policies once, so compiling the
  // schema (in each thread, on each process's first plan) costs more than it could ever save.
  const result = PolicySchema.safeParse(json, { jitless: true });
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((issue) => ({
    field: issue.path.length === 0 ? '(policy)' : issue.path.map(String).join('.'),
    reason: issue.message,
    ...zodIssueReason(issue),
  }));
  // zod skips the object-level refinement once a field failed; the user should still hear of it now.
  if (firstStepCountsFromPrevious(json) && !issues.some((issue) => issue.field === 'steps.0.from')) {
    issues.push({ field: FIRST_STEP_PATH.join('.'), reason: FIRST_STEP_REASON, code: 'reason.firstStepFrom' });
  }
  const noun = issues.length === 1 ? 'problem' : 'problems';
  throw new AppError('invalid_input', `invalid dunning policy: ${issues.length} ${noun}`, issues, {
    key: 'problem.policy.invalid',
    params: { count: issues.length },
  });
}

function firstStepCountsFromPrevious(json: unknown): boolean {
  if (typeof json !== 'object' || json === null) return false;
  const steps = (json as { steps?: unknown }).steps;
  if (!Array.isArray(steps)) return false;
  const first: unknown = steps[0];
  return typeof first === 'object' && first !== null && (first as { from?: unknown }).from === 'previousStep';
}

export const DEFAULT_POLICY_JSON: PolicyJson = {
  name: 'default',
  steps: [
    { label: 'Prérelance', delayDays: -5, from: 'dueDate', channels: ['email'] },
    { label: '1ère relance', delayDays: 10, from: 'dueDate', channels: ['email'] },
    { label: '2ème relance', delayDays: 15, from: 'previousStep', channels: ['email', 'letter'] },
    { label: 'Mise en demeure', delayDays: 15, from: 'previousStep', channels: ['letter'], formalNotice: true },
  ],
  minBalance: '15.00',
  minDaysBetween: 7,
};

export const ANNOUNCED_PAYMENT_PAUSE_DAYS = 10;

export function defaultPolicy(): Policy {
  return parsePolicy(structuredClone(DEFAULT_POLICY_JSON));
}

/** The default policy's French labels in English, for policies saved before steps had labels per language. */
const ENGLISH_LABELS: Record<string, string> = {
  Prérelance: 'Pre-reminder',
  '1ère relance': '1st reminder',
  '2ème relance': '2nd reminder',
  '3ème relance': '3rd reminder',
  'Relance 1': 'Reminder 1',
  'Relance 2': 'Reminder 2',
  'Relance 3': 'Reminder 3',
  'Dernière relance': 'Final reminder',
  'Mise en demeure': 'Formal notice',
};

/** A step's label in a message's language: its own label for that language, else the known translation, else `label`. */
export function stepLabel(step: Step, language: 'fr' | 'en'): string {
  const own = step.labels?.[language];
  if (own !== undefined) return own;
  return language === 'en' ? (ENGLISH_LABELS[step.label] ?? step.label) : step.label;
}

const noticeLevels = new WeakMap<Policy, Set<number>>();

/** The levels (1-based) whose step is a formal notice; worked out once per policy, as plans ask per invoice. */
export function formalNoticeLevels(policy: Policy): Set<number> {
  let levels = noticeLevels.get(policy);
  if (!levels) {
    levels = new Set(policy.steps.flatMap((step, index) => (step.formalNotice ? [index + 1] : [])));
    noticeLevels.set(policy, levels);
  }
  return levels;
}

/** A company's policies as a plan reads them: by id, and the one that applies when a customer has none of its own. */
export type Policies = { byId: Map<string, Policy>; fallback: Policy };

/** The policy a customer follows: its own when it has one the company still holds, else the company's default. */
export function policyFor(customer: { policyId: string | null | undefined }, policies: Policies): Policy {
  return (customer.policyId && policies.byId.get(customer.policyId)) || policies.fallback;
}
