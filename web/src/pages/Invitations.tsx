import { Button, Card, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, setCsrfToken } from '../api/client.ts';
import { useInvitations, type Invitation } from '../api/invitations.ts';
import type { SessionInfo } from '../api/types.ts';
import { PageHeading } from '../components/PageHeading.tsx';
import { EmptyState, ErrorState } from '../components/states.tsx';
import { date } from '../format.ts';
import { errorText } from '../api/error-text.ts';

/**
 * Where an existing account is told that another company invites it, and joins it only by accepting: accepting
 * opens that company, declining forgets the invitation.
 */
export default function Invitations() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const navigate = useNavigate();
  const invitations = useInvitations();
  const [busy, setBusy] = useState<string | null>(null);

  const failed = (error: unknown) => notifications.show({ color: 'red', message: errorText(error) });
  const accept = async (invitation: Invitation) => {
    setBusy(invitation.id);
    try {
      const { companyId } = await api<{ companyId: string }>('POST', `/api/v1/invitations/${invitation.id}/accept`);
      const next = await api<SessionInfo>('PUT', '/api/v1/session/company', { companyId });
      setCsrfToken(next.csrfToken);
      client.setQueryData(['session'], next);
      notifications.show({ color: 'green', message: t('invitations.joined', { company: invitation.legalName }) });
      navigate('/');
      // Everything else cached belongs to the previous company.
      await client.resetQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
    } catch (error) {
      failed(error);
    } finally {
      setBusy(null);
    }
  };
  const decline = async (invitation: Invitation) => {
    setBusy(invitation.id);
    try {
      await api('DELETE', `/api/v1/invitations/${invitation.id}`);
      notifications.show({ message: t('invitations.declined', { company: invitation.legalName }) });
      await client.invalidateQueries({ queryKey: ['invitations'] });
    } catch (error) {
      failed(error);
    } finally {
      setBusy(null);
    }
  };

  const items = invitations.data?.items ?? [];
  return (
    <Stack>
      <PageHeading title={t('invitations.title')} />
      <Text c="dimmed">{t('invitations.intro')}</Text>
      {invitations.isError ? (
        <ErrorState error={invitations.error} />
      ) : invitations.isPending ? null : items.length === 0 ? (
        <EmptyState>{t('invitations.empty')}</EmptyState>
      ) : (
        items.map((invitation) => (
          <Card key={invitation.id} withBorder data-testid="invitation" data-company={invitation.legalName}>
            <Text fw={600}>{invitation.legalName}</Text>
            <Text size="sm">{t('invitations.role', { role: t(`roles.${invitation.role}`) })}</Text>
            {invitation.salesRep && (
              <Text size="sm">{t('invitations.salesRep', { salesRep: invitation.salesRep })}</Text>
            )}
            <Text size="sm" c="dimmed">
              {t('invitations.from', { email: invitation.invitedBy, date: date(invitation.expiresAt.slice(0, 10)) })}
            </Text>
            <Group mt="sm">
              <Button loading={busy === invitation.id} onClick={() => void accept(invitation)}>
                {t('invitations.accept')}
              </Button>
              <Button variant="default" disabled={busy === invitation.id} onClick={() => void decline(invitation)}>
                {t('invitations.decline')}
              </Button>
            </Group>
          </Card>
        ))
      )}
    </Stack>
  );
}
