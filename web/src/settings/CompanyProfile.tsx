import { Button, Group, NumberInput, SimpleGrid, Stack, Switch, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../api/client.ts';
import type { Company } from '../api/types.ts';
import { QueryState } from '../components/states.tsx';
import { fieldErrors } from '../components/issue-text.ts';
import { parseAmount } from '../format.ts';
import '../i18n/go-live.ts';
import { CompanyLogo } from './company-logo.tsx';
import { parseBic, parseIban } from '../../../src/domain/identifiers.ts';
import { errorText } from '../api/error-text.ts';

const IDENTITY_KEYS = ['legalForm', 'siret', 'rcs', 'phone', 'senderName', 'senderEmail', 'timeZone'] as const;
type IdentityKey = (typeof IDENTITY_KEYS)[number];

/** Letterhead, identifiers, bank details and address: what letters and e-mails are signed with. */
export default function CompanyProfile() {
  const query = useQuery({ queryKey: ['company'], queryFn: () => get<Company>('/api/v1/company') });
  return <QueryState query={query}>{(company) => <Form company={company} />}</QueryState>;
}

function Form({ company }: { company: Company }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [form, setForm] = useState(company);
  const [busy, setBusy] = useState(false);
  // What the server refused, shown under each field in the reader's language until the field is changed.
  const [refused, setRefused] = useState<Record<string, string>>({});
  const text = (key: 'legalName' | 'siren' | 'vatNumber' | 'iban' | 'bic' | 'paymentLinkPattern' | IdentityKey) => ({
    label: IDENTITY_KEYS.includes(key as IdentityKey) ? t(`goLive.company.${key}`) : t(`company.${key}`),
    name: key,
    value: form[key] ?? '',
    error: refused[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => {
      setForm({ ...form, [key]: e.currentTarget.value || null });
      setRefused(({ [key]: _changed, ...rest }) => rest);
    },
  });
  // Checked as typed with the server's own rules (ISO 13616 check digits), so a mistyped IBAN is seen before saving.
  const ibanError = form.iban && !parseIban(form.iban).ok ? t('goLive.company.ibanInvalid') : null;
  const bicError = form.bic && !parseBic(form.bic).ok ? t('goLive.company.bicInvalid') : null;
  const address = (key: keyof Company['address']) => ({
    label: t(`company.address.${key}`),
    value: form.address[key] ?? '',
    onChange: (e: React.ChangeEvent<HTMLInputElement>) =>
      setForm({ ...form, address: { ...form.address, [key]: e.currentTarget.value || null } }),
  });
  const save = async () => {
    setBusy(true);
    try {
      const { id: _id, automation: _a, demoData: _d, ...patch } = form;
      const saved = await api<Company>('PATCH', '/api/v1/company', {
        ...patch,
        legalName: form.legalName || company.legalName,
      });
      client.setQueryData(['company'], saved);
      setRefused({});
      notifications.show({ color: 'green', message: t('common.saved') });
    } catch (error) {
      setRefused(fieldErrors(error, t, i18n));
      notifications.show({ color: 'red', message: errorText(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack maw={800}>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput {...text('legalName')} required />
        <TextInput {...text('legalForm')} placeholder="SARL, SAS, EI…" />
        <NumberInput
          label={t('goLive.company.shareCapital')}
          name="shareCapital"
          min={0}
          decimalScale={2}
          fixedDecimalScale
          decimalSeparator={i18n.language === 'en' ? '.' : ','}
          thousandSeparator={i18n.language === 'en' ? ',' : ' '}
          value={form.shareCapital === null || form.shareCapital === undefined ? '' : form.shareCapital / 100}
          onChange={(v) => setForm({ ...form, shareCapital: v === '' ? null : parseAmount(String(v)) })}
        />
        <TextInput {...text('siret')} />
        <TextInput {...text('rcs')} />
        <TextInput {...text('phone')} />
        <TextInput {...text('senderName')} />
        <TextInput {...text('senderEmail')} type="email" />
        <TextInput {...text('timeZone')} />
        <TextInput {...text('siren')} />
        <TextInput {...text('vatNumber')} />
        <TextInput {...text('iban')} error={ibanError ?? refused.iban} />
        <TextInput {...text('bic')} error={bicError ?? refused.bic} />
        <TextInput
          {...text('paymentLinkPattern')}
          placeholder="https://pay.example.com/{{ reference }}?amount={{ amount }}"
        />
        <TextInput {...address('line1')} />
        <TextInput {...address('line2')} />
        <TextInput {...address('postcode')} />
        <TextInput {...address('city')} />
        <TextInput {...address('country')} />
        <NumberInput
          label={t('company.formalNoticeDays')}
          value={form.formalNoticeDays ?? 8}
          min={1}
          max={90}
          allowDecimal={false}
          onChange={(v) => setForm({ ...form, formalNoticeDays: typeof v === 'number' ? v : undefined })}
        />
        <NumberInput
          label={t('company.portalLinkDays')}
          description={t('company.portalLinkDaysHelp')}
          name="portalLinkDays"
          value={form.portalLinkDays ?? 60}
          min={1}
          max={365}
          allowDecimal={false}
          onChange={(v) => setForm({ ...form, portalLinkDays: typeof v === 'number' ? v : undefined })}
        />
      </SimpleGrid>
      <Switch
        label={t('company.notifyAnswers')}
        description={t('company.notifyAnswersHelp')}
        name="notifyAnswers"
        checked={form.notifyAnswers !== false}
        onChange={(e) => setForm({ ...form, notifyAnswers: e.currentTarget.checked })}
      />
      <CompanyLogo />
      <Textarea
        label={t('company.letterhead')}
        autosize
        minRows={3}
        value={form.letterhead ?? ''}
        onChange={(e) => setForm({ ...form, letterhead: e.currentTarget.value || null })}
      />
      <Group>
        <Button onClick={save} loading={busy} disabled={ibanError !== null || bicError !== null}>
          {t('common.save')}
        </Button>
      </Group>
    </Stack>
  );
}
