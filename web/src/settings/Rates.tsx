import { Alert, Badge, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../api/client.ts';
import { QueryState } from '../components/states.tsx';
import { useIsAdmin } from '../session.tsx';
import { errorText } from '../api/error-text.ts';
import { DateField } from '../components/date-field.tsx';
import { date } from '../format.ts';

type RateRow = { from: string; rate: string; source: string; verified: boolean; origin: 'shipped' | 'company' };
type Series = { series: string; fr: string; en: string; where: string; knownThrough: string; values: RateRow[] };
type Rates = {
  series: Series[];
  missing: { series: string; halfYear: string; date: string; where: string; message: string }[];
};

/** The late-payment reference rates: what relance ships, what the company entered (shown as such), what is missing. */
export default function RatesSettings() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'fr';
  const query = useQuery({ queryKey: ['rates', lang], queryFn: () => get<Rates>('/api/v1/rates', { lang }) });
  return (
    <QueryState query={query}>
      {(rates) => (
        <Stack maw={1000}>
          {rates.missing.map((m) => (
            <Alert key={`${m.series}-${m.halfYear}`} color="orange" title={t('rates.missing')}>
              {m.message}
            </Alert>
          ))}
          <AddRate series={rates.series} />
          {rates.series.map((s) => (
            <Stack key={s.series} gap={4}>
              <Title order={4}>{lang === 'en' ? s.en : s.fr}</Title>
              <Text size="sm" c="dimmed">
                {t('rates.knownThrough', { date: date(s.knownThrough) })} ·{' '}
                <a href={s.where} target="_blank" rel="noreferrer">
                  {s.where}
                </a>
              </Text>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('rates.from')}</Table.Th>
                    <Table.Th>{t('rates.rate')}</Table.Th>
                    <Table.Th>{t('rates.origin')}</Table.Th>
                    <Table.Th>{t('rates.source')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {[...s.values].reverse().map((v) => (
                    <Table.Tr key={v.from}>
                      <Table.Td>{date(v.from)}</Table.Td>
                      <Table.Td>{v.rate.replace('.', lang === 'fr' ? ',' : '.')} %</Table.Td>
                      <Table.Td>
                        {v.origin === 'company' ? (
                          <Badge color="blue" variant="light">
                            {t('rates.company')}
                          </Badge>
                        ) : v.verified ? (
                          <Badge color="gray" variant="light">
                            {t('rates.shipped')}
                          </Badge>
                        ) : (
                          <Badge color="orange" variant="light">
                            {t('rates.unconfirmed')}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{v.source}</Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Stack>
          ))}
        </Stack>
      )}
    </QueryState>
  );
}

function AddRate({ series }: { series: Series[] }) {
  const { t, i18n } = useTranslation();
  const admin = useIsAdmin();
  const client = useQueryClient();
  const [form, setForm] = useState({ series: 'ecb_mro', from: '', rate: '', source: '' });
  const [busy, setBusy] = useState(false);
  if (!admin) return null;
  const save = async () => {
    setBusy(true);
    try {
      await api('POST', '/api/v1/rates', form);
      await client.invalidateQueries({ queryKey: ['rates'] });
      await client.invalidateQueries({ queryKey: ['dashboard'] });
      setForm({ ...form, from: '', rate: '', source: '' });
      notifications.show({ color: 'green', message: t('common.saved') });
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Group align="end">
      <Select
        label={t('rates.series')}
        value={form.series}
        allowDeselect={false}
        data={series.map((s) => ({ value: s.series, label: i18n.language === 'en' ? s.en : s.fr }))}
        onChange={(v) => setForm({ ...form, series: v ?? 'ecb_mro' })}
      />
      <DateField label={t('rates.from')} value={form.from} w={150} onChange={(from) => setForm({ ...form, from })} />
      <TextInput
        label={t('rates.rate')}
        placeholder={t('rates.rateHint')}
        value={form.rate}
        w={90}
        onChange={(e) => setForm({ ...form, rate: e.currentTarget.value })}
      />
      <TextInput
        label={t('rates.source')}
        placeholder={t('rates.sourceHint')}
        value={form.source}
        style={{ flex: 1 }}
        onChange={(e) => setForm({ ...form, source: e.currentTarget.value })}
      />
      <Button onClick={save} loading={busy}>
        {t('rates.add')}
      </Button>
    </Group>
  );
}
