import { Anchor, Badge, Button, Card, Code, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, get } from '../api/client.ts';
import { date, money } from '../format.ts';
import { errorText } from '../api/error-text.ts';

type ScheduleRequest = {
  id: string;
  invoiceId: string;
  invoiceNumber: string;
  instalments: { seq: number; dueDate: string; amount: number }[];
  message: string | null;
  status: 'pending' | 'accepted' | 'refused';
  createdAt: string;
};

/** The customer's payment page from the workspace: a link to hand over, revoking them, and the payment plans asked for. */
export function CustomerPortal({ customerId, canEdit }: { customerId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [url, setUrl] = useState<string | null>(null);
  const [refusal, setRefusal] = useState('');
  const requests = useQuery({
    queryKey: ['schedule-requests', customerId],
    queryFn: () => get<{ items: ScheduleRequest[] }>(`/api/v1/customers/${customerId}/schedule-requests`),
  });
  const act = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    }
  };
  const decide = (id: string, accept: boolean) =>
    act(async () => {
      await api('POST', `/api/v1/schedule-requests/${id}/decision`, {
        accept,
        message: accept ? null : refusal.trim() || null,
      });
      setRefusal('');
      await client.invalidateQueries({ queryKey: ['schedule-requests', customerId] });
      await client.invalidateQueries({ queryKey: ['customer', customerId] });
      await client.invalidateQueries({ queryKey: ['customer-answers'] });
      notifications.show({ color: 'green', message: t('common.saved') });
    });
  return (
    <Card withBorder data-testid="customer-portal">
      <Title order={2} size="h4" mb="xs">
        {t('customerPortal.title')}
      </Title>
      <Stack gap="xs">
        <Text size="sm" c="dimmed">
          {t('customerPortal.help')}
        </Text>
        <Group>
          <Button
            variant="light"
            disabled={!canEdit}
            data-testid="portal-link"
            onClick={() =>
              void act(async () => {
                const link = await api<{ url: string }>('POST', `/api/v1/customers/${customerId}/portal-links`);
                setUrl(link.url);
              })
            }
          >
            {t('customerPortal.newLink')}
          </Button>
          <Button
            variant="light"
            color="red"
            disabled={!canEdit}
            data-testid="portal-revoke"
            onClick={() =>
              void act(async () => {
                const { revoked } = await api<{ revoked: number }>(
                  'DELETE',
                  `/api/v1/customers/${customerId}/portal-links`,
                );
                setUrl(null);
                notifications.show({ color: 'green', message: t('customerPortal.revoked', { count: revoked }) });
              })
            }
          >
            {t('customerPortal.revoke')}
          </Button>
        </Group>
        {url && <Code block>{url}</Code>}
        {(requests.data?.items.length ?? 0) > 0 && (
          <>
            <Title order={3} size="h5">
              {t('customerPortal.requests')}
            </Title>
            <Table>
              <Table.Tbody>
                {requests.data!.items.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/invoices/${r.invoiceId}`}>
                        {r.invoiceNumber}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      {r.instalments.map((i) => `${date(i.dueDate)} ${money(i.amount)}`).join(' ; ')}
                      {r.message && (
                        <Text size="xs" c="dimmed">
                          {r.message}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {r.status === 'pending' && canEdit ? (
                        <Group gap="xs">
                          <Button size="xs" onClick={() => void decide(r.id, true)}>
                            {t('customerPortal.accept')}
                          </Button>
                          <TextInput
                            size="xs"
                            placeholder={t('customerPortal.refusal')}
                            aria-label={t('customerPortal.refusal')}
                            value={refusal}
                            onChange={(e) => setRefusal(e.currentTarget.value)}
                          />
                          <Button
                            size="xs"
                            color="red"
                            variant="light"
                            disabled={!refusal.trim()}
                            onClick={() => void decide(r.id, false)}
                          >
                            {t('customerPortal.refuse')}
                          </Button>
                        </Group>
                      ) : (
                        <Badge variant="light">{t(`customerPortal.${r.status}`)}</Badge>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
      </Stack>
    </Card>
  );
}
