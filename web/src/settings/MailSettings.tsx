import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../api/client.ts';
import { QueryState } from '../components/states.tsx';
import { useSession } from '../session.tsx';
import { SmtpFields, smtpFormOf, smtpUrlOfForm } from './smtp-fields.tsx';
import { errorText } from '../api/error-text.ts';

type Mail = {
  smtpUrl: string | null;
  smtpSource: string;
  effectiveSmtp: string | null;
  from: string | null;
  effectiveFrom: string;
  replyTo: string | null;
  replyAddress: string | null;
  cc: string[];
  bcc: string[];
};

const list = (text: string) => text.split(/[\s,;]+/).filter(Boolean);

/** SMTP server, sender, Reply-To, CC/BCC, and "send a test" straight through the server. */
export default function MailSettings() {
  const query = useQuery({ queryKey: ['mail-settings'], queryFn: () => get<Mail>('/api/v1/mail/settings') });
  return <QueryState query={query}>{(mail) => <Form mail={mail} />}</QueryState>;
}

function Form({ mail }: { mail: Mail }) {
  const { t } = useTranslation();
  const session = useSession();
  const client = useQueryClient();
  const [initialSmtp] = useState(() => smtpFormOf(mail.smtpUrl));
  const [smtp, setSmtp] = useState(initialSmtp);
  const [form, setForm] = useState({
    from: mail.from ?? '',
    replyTo: mail.replyTo ?? '',
    replyAddress: mail.replyAddress ?? '',
    cc: mail.cc.join(', '),
    bcc: mail.bcc.join(', '),
  });
  const [to, setTo] = useState(session.user.email);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const save = async () => {
    try {
      // Unchanged fields send back the URL as shown (password masked), which the server keeps as stored.
      const unchanged = JSON.stringify(smtp) === JSON.stringify(initialSmtp);
      const saved = await api<Mail>('PATCH', '/api/v1/mail/settings', {
        smtpUrl: unchanged ? mail.smtpUrl : smtpUrlOfForm(smtp),
        from: form.from || null,
        replyTo: form.replyTo || null,
        replyAddress: form.replyAddress || null,
        cc: list(form.cc),
        bcc: list(form.bcc),
      });
      client.setQueryData(['mail-settings'], saved);
      notifications.show({ color: 'green', message: t('common.saved') });
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    }
  };
  const test = async () => {
    setResult(null);
    try {
      const answer = await api<{ server: string; response: string }>('POST', '/api/v1/mail/test', { to });
      setResult({ ok: true, text: t('mail.testOk', { server: answer.server, response: answer.response }) });
    } catch (error) {
      setResult({ ok: false, text: errorText(error) });
    }
  };
  const input = (key: keyof typeof form, extra: Record<string, string> = {}) => ({
    label: t(`mail.${key}`),
    value: form[key],
    ...extra,
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.currentTarget.value }),
  });
  return (
    <Stack maw={700}>
      <Text size="sm" c="dimmed">
        {t('mail.current', { server: mail.effectiveSmtp ?? t('mail.none'), from: mail.effectiveFrom })}
      </Text>
      <SmtpFields value={smtp} onChange={setSmtp} />
      <TextInput {...input('from')} />
      <TextInput {...input('replyTo')} />
      <TextInput {...input('replyAddress', { description: t('mail.replyAddressHelp') })} />
      <TextInput {...input('cc')} />
      <TextInput {...input('bcc')} />
      <Group>
        <Button onClick={save}>{t('common.save')}</Button>
      </Group>
      <Group align="end">
        <TextInput label={t('mail.testTo')} value={to} onChange={(e) => setTo(e.currentTarget.value)} w={280} />
        <Button variant="light" onClick={test}>
          {t('mail.test')}
        </Button>
      </Group>
      {result && <Alert color={result.ok ? 'green' : 'red'}>{result.text}</Alert>}
    </Stack>
  );
}
