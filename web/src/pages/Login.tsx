import {
  Alert,
  Anchor,
  Button,
  Center,
  Paper,
  PasswordInput,
  SegmentedControl,
  Stack,
  TextInput,
  Title,
  Text,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, setCsrfToken } from '../api/client.ts';
import type { SessionInfo } from '../api/types.ts';
import { setLanguage } from '../i18n/index.ts';
import { errorText } from '../api/error-text.ts';

/** The token of a password-reset link (`/reset-password?token=…`, src/mail/password-reset.ts), if the page was opened by one. */
function resetToken(): string | null {
  return window.location.pathname.endsWith('/reset-password')
    ? new URLSearchParams(window.location.search).get('token')
    : null;
}

export function Login() {
  const [mode, setMode] = useState<'login' | 'forgot' | 'reset'>(() => (resetToken() ? 'reset' : 'login'));
  const [notice, setNotice] = useState<string | null>(null);
  const back = (message: string | null) => {
    if (window.location.pathname.endsWith('/reset-password')) window.history.replaceState(null, '', '/');
    setNotice(message);
    setMode('login');
  };
  if (mode === 'forgot') return <Forgot onBack={() => back(null)} />;
  if (mode === 'reset') return <Reset token={resetToken() ?? ''} onDone={back} />;
  return <LoginForm notice={notice} onForgot={() => setMode('forgot')} />;
}

function LoginForm({ notice, onForgot }: { notice: string | null; onForgot: () => void }) {
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
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={380} component="form" onSubmit={submit}>
        <Stack>
          <Title order={2} c="indigo">
            relance
          </Title>
          <Text c="dimmed" size="sm">
            {t('login.tagline')}
          </Text>
          <TextInput
            label={t('login.email')}
            name="email"
            type="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordInput
            label={t('login.password')}
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          {notice && <Alert color="green">{notice}</Alert>}
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Button type="submit" loading={busy}>
            {t('login.submit')}
          </Button>
          <Anchor component="button" type="button" size="sm" onClick={onForgot}>
            {t('goLive.forgot')}
          </Anchor>
          <SegmentedControl
            size="xs"
            value={i18n.language}
            onChange={(lang) => setLanguage(lang)}
            data={[
              { value: 'fr', label: 'Français' },
              { value: 'en', label: 'English' },
            ]}
          />
        </Stack>
      </Paper>
    </Center>
  );
}

/** "Mot de passe oublié": asks for the reset e-mail (the same answer whether or not the account exists). */
function Forgot({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [state, setState] = useState<{ busy: boolean; sent: boolean; error: string | null }>({
    busy: false,
    sent: false,
    error: null,
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setState({ busy: true, sent: false, error: null });
    try {
      await api('POST', '/api/v1/password-reset', { email });
      setState({ busy: false, sent: true, error: null });
    } catch (e) {
      setState({ busy: false, sent: false, error: errorText(e) });
    }
  };
  return (
    <Center mih="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={380} component="form" onSubmit={submit}>
        <Stack>
          <Title order={3}>{t('goLive.forgotTitle')}</Title>
          <TextInput
            label={t('login.email')}
            name="email"
            type="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          {state.sent && (
            <Alert color="green" role="status">
              {t('goLive.forgotSent')}
            </Alert>
          )}
          {state.error && (
            <Alert color="red" role="alert">
              {state.error}
            </Alert>
          )}
          <Button type="submit" loading={state.busy} disabled={state.sent}>
            {t('goLive.forgotSubmit')}
          </Button>
          <Anchor component="button" type="button" size="sm" onClick={onBack}>
            {t('goLive.backToLogin')}
          </Anchor>
        </Stack>
      </Paper>
    </Center>
  );
}

/** The page a reset link opens: a new password for the token it carries. */
function Reset({ token, onDone }: { token: string; onDone: (notice: string | null) => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/api/v1/password-reset/confirm', { token, password });
      onDone(t('goLive.resetDone'));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Center mih="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={380} component="form" onSubmit={submit}>
        <Stack>
          <Title order={3}>{t('goLive.forgotTitle')}</Title>
          <PasswordInput
            label={t('goLive.newPassword')}
            name="new-password"
            autoComplete="new-password"
            required
            autoFocus
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Button type="submit" loading={busy}>
            {t('goLive.resetSubmit')}
          </Button>
          <Anchor component="button" type="button" size="sm" onClick={() => onDone(null)}>
            {t('goLive.backToLogin')}
          </Anchor>
        </Stack>
      </Paper>
    </Center>
  );
}
