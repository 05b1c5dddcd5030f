import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { PolicyJson } from '../../../src/domain/dunning/policy.ts';
import { get } from '../api/client.ts';
import type { Policy } from '../api/types.ts';

/**
 * Names a reminder level by the step of the policy a customer follows ("1ère relance", "Mise en demeure"),
 * in the reader's language; a level the policy no longer has is counted ("Relance 4").
 */
export function useStepLabel(policyName: string | null | undefined, enabled = true): (level: number) => string {
  const { t, i18n } = useTranslation();
  const name = policyName ?? 'default';
  const policy = useQuery({
    queryKey: ['policy', name],
    queryFn: () => get<Policy>(`/api/v1/policies/${encodeURIComponent(name)}`),
    enabled,
  });
  return (level: number) => {
    const step = (policy.data?.definition as PolicyJson | undefined)?.steps[level - 1];
    if (!step) return t('invoice.levelN', { level });
    return step.labels?.[i18n.language === 'en' ? 'en' : 'fr'] ?? step.label;
  };
}

/** A channel ("email", "letter") by its name in the reader's language. */
export function useChannelName(): (channel: string) => string {
  const { t, i18n } = useTranslation();
  return (channel: string) =>
    i18n.exists(`enums.channel.${channel}`, { ns: 'messages' })
      ? t(`enums.channel.${channel}`, { ns: 'messages' })
      : channel;
}
