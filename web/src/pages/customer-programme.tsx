import { Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { PolicyJson } from '../../../src/domain/dunning/policy.ts';
import { api, get } from '../api/client.ts';
import type { CustomerDetail, Policy } from '../api/types.ts';
import { QueryState } from '../components/states.tsx';
import { useIsAdmin } from '../session.tsx';
import { errorText } from '../api/error-text.ts';

const PolicyEditor = lazy(() => import('../settings/PolicyEditor.tsx'));

/**
 * The reminder programme this customer follows (its own policy, else the company's), step by step; an
 * administrator gives it one of its own (a copy to change) and edits it here, without going to Settings.
 */
export function CustomerProgramme({ customer }: { customer: CustomerDetail }) {
  const { t } = useTranslation();
  const admin = useIsAdmin();
  const client = useQueryClient();
  const name = customer.dunning.policy ?? 'default';
  const policy = useQuery({
    queryKey: ['policy', name],
    queryFn: () => get<Policy>(`/api/v1/policies/${encodeURIComponent(name)}`),
  });
  const own = customer.dunning.policy !== null;

  const createOwn = async () => {
    if (!policy.data) return;
    const target = `client-${customer.code}`;
    try {
      const { name: _name, ...definition } = policy.data.definition as PolicyJson;
      await api('PUT', `/api/v1/policies/${encodeURIComponent(target)}`, definition);
      await api('PUT', `/api/v1/customers/${customer.id}/hold`, { policy: target });
      await Promise.all([
        client.invalidateQueries({ queryKey: ['customer', customer.id] }),
        client.invalidateQueries({ queryKey: ['policies'] }),
      ]);
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    }
  };
  return (
    <Card withBorder data-testid="programme">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          {t('customerPage.programme')} · {own ? name : t('customer.companyPolicy')}
        </Title>
        {admin && !own && (
          <Button size="xs" variant="light" onClick={() => void createOwn()} data-testid="own-programme">
            {t('customerPage.ownProgramme')}
          </Button>
        )}
      </Group>
      {own && admin ? (
        <Suspense fallback={null}>
          <PolicyEditor only={name} />
        </Suspense>
      ) : (
        <QueryState query={policy}>
          {(p) => {
            const steps = (p.definition as PolicyJson).steps;
            return (
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('customerPage.step')}</Table.Th>
                    <Table.Th>{t('customerPage.delay')}</Table.Th>
                    <Table.Th>{t('customerPage.channels')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {steps.map((s, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>{s.label}</Table.Td>
                      <Table.Td>
                        {s.from === 'previousStep'
                          ? t('customerPage.daysAfter', { count: s.delayDays })
                          : s.delayDays < 0
                            ? t('customerPage.daysBefore', { count: -s.delayDays })
                            : t('customerPage.days', { count: s.delayDays })}
                      </Table.Td>
                      <Table.Td>
                        <Stack gap={0}>
                          {(s.channels ?? []).map((c) => (
                            <Text key={c} size="sm">
                              {t(`enums.channel.${c}`, { ns: 'messages' })}
                            </Text>
                          ))}
                        </Stack>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            );
          }}
        </QueryState>
      )}
    </Card>
  );
}
