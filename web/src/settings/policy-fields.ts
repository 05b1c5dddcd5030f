import type { TFunction } from 'i18next';
import type { PolicyJson } from '../../../src/domain/dunning/policy.ts';

/** The editor's label of each field of a step, by its JSON name (`labels.fr` and `templates.0` by their first part). */
const STEP_FIELDS: Record<string, string> = {
  label: 'policy.label',
  labels: 'policy.label',
  delayDays: 'policy.delay',
  from: 'policy.from',
  channels: 'policy.channels',
  templates: 'policy.template',
  charges: 'policy.stepCharges',
  formalNotice: 'policy.formalNotice',
};

const POLICY_FIELDS: Record<string, string> = {
  '(policy)': 'policy.policy',
  name: 'policy.name',
  steps: 'policy.steps',
  minBalance: 'policy.minBalance',
  minDaysBetween: 'policy.minDaysBetween',
  pauseOnReply: 'policy.pauseOnReply',
  announcedPaymentPauseDays: 'policy.announcedPaymentPauseDays',
  charges: 'policy.chargesEnabled',
  'charges.enabled': 'policy.chargesEnabled',
  'charges.contractRate': 'policy.contractRate',
  grouping: 'policy.grouping',
};

/**
 * A refused policy field as the editor names it, never as its JSON path: `steps.1.delayDays` is
 * "Étape 2 (1ère relance) · Délai", with the step's own label as the policy being edited has it.
 * Null for a path the editor does not know, so the caller falls back to the catalogue's field names.
 */
export function policyFieldText(field: string, policy: Pick<PolicyJson, 'steps'>, t: TFunction): string | null {
  const path = field.replace(/^body\./, '');
  const step = /^steps\.(\d+)(?:\.(\w+))?/.exec(path);
  if (step) {
    const index = Number(step[1]);
    const label = policy.steps[index]?.label?.trim();
    const name = label ? t('policy.stepNamed', { n: index + 1, label }) : t('policy.stepNumber', { n: index + 1 });
    const part = step[2] ? STEP_FIELDS[step[2]] : undefined;
    return part ? `${name} · ${t(part)}` : name;
  }
  const key = POLICY_FIELDS[path];
  return key ? t(key) : null;
}
