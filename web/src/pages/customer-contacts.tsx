import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { Contact, CustomerDetail } from '../api/types.ts';
import { dateTime } from '../format.ts';
import { bounceWhy } from '../../../src/domain/smtp-reply.ts';
import { errorText } from '../api/error-text.ts';

type Draft = { name: string; email: string; phone: string; isPrimary: boolean };
const draftOf = (c?: Contact): Draft => ({
  name: c?.name ?? '',
  email: c?.email ?? '',
  phone: c?.phone ?? '',
  isPrimary: c?.isPrimary ?? false,
});

/** The customer's contacts, edited where they are shown: a bounced address is flagged and fixed in place. */
export function CustomerContacts({ customer, canEdit }: { customer: CustomerDetail; canEdit: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>(draftOf());

  const save = async () => {
    const body = {
      name: draft.name || null,
      email: draft.email || null,
      phone: draft.phone || null,
      isPrimary: draft.isPrimary,
    };
    try {
      if (editing === 'new') await api('POST', `/api/v1/customers/${customer.id}/contacts`, body);
      else await api('PATCH', `/api/v1/customers/${customer.id}/contacts/${editing}`, body);
      setEditing(null);
      await client.invalidateQueries({ queryKey: ['customer', customer.id] });
      notifications.show({ color: 'green', message: t('common.saved') });
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    }
  };
  const remove = async (id: string) => {
    try {
      await api('DELETE', `/api/v1/customers/${customer.id}/contacts/${id}`);
      await client.invalidateQueries({ queryKey: ['customer', customer.id] });
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    }
  };
  const form = (
    <Stack gap="xs" data-testid="contact-form">
      <Group grow>
        <TextInput
          label={t('customerPage.name')}
          value={draft.name}
          onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
        />
        <TextInput
          label={t('customerPage.email')}
          type="email"
          name="contact-email"
          value={draft.email}
          onChange={(e) => setDraft({ ...draft, email: e.currentTarget.value })}
        />
        <TextInput
          label={t('customerPage.phone')}
          value={draft.phone}
          onChange={(e) => setDraft({ ...draft, phone: e.currentTarget.value })}
        />
      </Group>
      <Group justify="space-between">
        <Checkbox
          label={t('customer.primary')}
          checked={draft.isPrimary}
          onChange={(e) => setDraft({ ...draft, isPrimary: e.currentTarget.checked })}
        />
        <Group gap="xs">
          <Button variant="default" size="xs" onClick={() => setEditing(null)}>
            {t('common.cancel')}
          </Button>
          <Button size="xs" onClick={() => void save()} data-testid="contact-save">
            {t('common.save')}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          {t('customer.contacts')}
        </Title>
        {canEdit && editing === null && (
          <Button
            size="xs"
            variant="light"
            onClick={() => {
              setDraft(draftOf());
              setEditing('new');
            }}
          >
            {t('customerPage.addContact')}
          </Button>
        )}
      </Group>
      {customer.contacts.length === 0 && editing === null ? (
        <Text c="dimmed">{t('customer.noContact')}</Text>
      ) : (
        <Table data-testid="contacts">
          <Table.Tbody>
            {customer.contacts.map((c) =>
              editing === c.id ? (
                <Table.Tr key={c.id}>
                  <Table.Td colSpan={3}>{form}</Table.Td>
                </Table.Tr>
              ) : (
                <Table.Tr key={c.id} data-email={c.email ?? ''}>
                  <Table.Td>
                    {c.name ?? '—'}{' '}
                    {c.isPrimary && (
                      <Badge size="xs" variant="light">
                        {t('customer.primary')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" td={c.emailBouncedAt ? 'line-through' : undefined}>
                      {c.email ?? '—'}
                    </Text>
                    {c.emailBouncedAt && (
                      <>
                        <Text size="xs" c="red.9" data-testid="bounced">
                          {t('customerPage.bounced', {
                            date: dateTime(c.emailBouncedAt),
                            reason: t(`outbox.smtp.${bounceWhy(c.emailBounceReason)}`, { ns: 'messages' }),
                          })}
                        </Text>
                        {c.emailBounceReason && (
                          <Text size="xs" c="dimmed" data-testid="bounce-detail">
                            {t('customerPage.bounceDetail', { reply: c.emailBounceReason })}
                          </Text>
                        )}
                      </>
                    )}
                    {c.phone && (
                      <Text size="xs" c="dimmed">
                        {c.phone}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">
                    {canEdit && (
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Button
                          size="compact-xs"
                          variant={c.emailBouncedAt ? 'filled' : 'subtle'}
                          color={c.emailBouncedAt ? 'red' : undefined}
                          data-testid="contact-edit"
                          onClick={() => {
                            setDraft(draftOf(c));
                            setEditing(c.id);
                          }}
                        >
                          {c.emailBouncedAt ? t('customerPage.fixAddress') : t('customerPage.edit')}
                        </Button>
                        <Tooltip label={t('customerPage.remove')}>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={t('customerPage.remove')}
                            onClick={() => void remove(c.id)}
                          >
                            ×
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ),
            )}
            {editing === 'new' && (
              <Table.Tr>
                <Table.Td colSpan={3}>{form}</Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
