import { Alert, Button, Center, Paper, PasswordInput, SegmentedControl, Stack, TextInput, Title, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, setCsrfToken } from '../api/client.ts';
import type { SessionInfo } from '../api/types.ts';
import { setLanguage } from '../i18n/index.ts';

export function Login() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await api<SessionInfo>('POST', '/api/v1/session', { email, password });
      setCsrfToken(session.csrfToken);
      client.setQueryData(['session'], session);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={380} component="form" onSubmit={submit}>
        <Stack>
          <Title order={2} c="indigo">relance</Title>
          <Text c="dimmed" size="sm">{t('login.tagline')}</Text>
          <TextInput label={t('login.email')} name="email" type="email" autoComplete="username" required autoFocus
            value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <PasswordInput label={t('login.password')} name="password" autoComplete="current-password" required
            value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          {error && <Alert color="red" role="alert">{error}</Alert>}
          <Button type="submit" loading={busy}>{t('login.submit')}</Button>
          <SegmentedControl size="xs" value={i18n.language} onChange={(lang) => setLanguage(lang)}
            data={[{ value: 'fr', label: 'Français' }, { value: 'en', label: 'English' }]} />
        </Stack>
      </Paper>
    </Center>
  );
}
