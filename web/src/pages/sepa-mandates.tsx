import { Button, Group, Paper, Stack, Table, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { EmptyState } from '../components/states.tsx';
import { date, localToday } from '../format.ts';
import { useIsAdmin, useSession } from '../session.tsx';
import { errorText } from '../api/error-text.ts';

export type Mandate = {
  id: string;
  customerCode: string;
  customerName: string;
  reference: string;
  iban: string;
  bic: string | null;
  signedOn: string;
  firstDebitOn: string | null;
  revokedOn: string | null;
};

const EMPTY = { customerCode: '', reference: '', iban: '', bic: '', signedOn: '' };

/** The mandates (RUM, IBAN, signature date, first debit, revocation), a new one recorded, one revoked. */
export function SepaMandates({ mandates }: { mandates: Mandate[] }) {
  const { t } = useTranslation();
  const admin = useIsAdmin();
  const canWrite = useSession().role !== 'viewer';
  const client = useQueryClient();
  const [form, setForm] = useState({ ...EMPTY, signedOn: localToday() });
  const field = (key: keyof typeof EMPTY) => ({
    value: form[key],
    onChange: (e: { currentTarget: { value: string } }) => {
      const value = e.currentTarget.value;
      setForm((prev) => ({ ...prev, [key]: value }));
    },
  });
  const act = async (work: () => Promise<unknown>, message: string) => {
    try {
      await work();
      await client.invalidateQueries({ queryKey: ['sepa'] });
      notifications.show({ color: 'green', message });
      return true;
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
      return false;
    }
  };
  const add = async () => {
    const ok = await act(
      () => api('POST', '/api/v1/sepa/mandates', { ...form, bic: form.bic.trim() || null }),
      t('sepa.mandateAdded', { reference: form.reference }),
    );
    if (ok) setForm({ ...EMPTY, signedOn: localToday() });
  };
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        {t('sepa.mandates')}
      </Title>
      {mandates.length === 0 ? (
        <EmptyState>{t('sepa.noMandates')}</EmptyState>
      ) : (
        <Table striped data-testid="sepa-mandates">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sepa.customerCode')}</Table.Th>
              <Table.Th>{t('sepa.reference')}</Table.Th>
              <Table.Th>{t('sepa.iban')}</Table.Th>
              <Table.Th>{t('sepa.signedOn')}</Table.Th>
              <Table.Th>{t('sepa.firstDebit')}</Table.Th>
              <Table.Th>{t('sepa.revokedOn')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {mandates.map((m) => (
              <Table.Tr key={m.id} data-mandate={m.reference}>
                <Table.Td>
                  {m.customerName} ({m.customerCode})
                </Table.Td>
                <Table.Td>{m.reference}</Table.Td>
                <Table.Td>{m.iban}</Table.Td>
                <Table.Td>{date(m.signedOn)}</Table.Td>
                <Table.Td>{date(m.firstDebitOn)}</Table.Td>
                <Table.Td>
                  {m.revokedOn ? (
                    date(m.revokedOn)
                  ) : admin ? (
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={t('sepa.revokeOf', { reference: m.reference })}
                      onClick={() =>
                        void act(
                          () => api('POST', `/api/v1/sepa/mandates/${encodeURIComponent(m.reference)}/revoke`, {}),
                          t('sepa.revoked', { reference: m.reference }),
                        )
                      }
                    >
                      {t('sepa.revoke')}
                    </Button>
                  ) : (
                    t('sepa.active')
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {canWrite && (
        <Paper withBorder p="sm" data-testid="mandate-form">
          <Group align="end">
            <TextInput label={t('sepa.customerCode')} {...field('customerCode')} w={130} />
            <TextInput label={t('sepa.reference')} {...field('reference')} w={170} />
            <TextInput label={t('sepa.iban')} {...field('iban')} w={280} />
            <TextInput label={t('sepa.bic')} {...field('bic')} w={130} />
            <TextInput label={t('sepa.signedOn')} type="date" {...field('signedOn')} />
            <Button
              onClick={() => void add()}
              disabled={!form.customerCode.trim() || !form.reference.trim() || !form.iban.trim() || !form.signedOn}
            >
              {t('sepa.addMandate')}
            </Button>
          </Group>
        </Paper>
      )}
    </Stack>
  );
}
