import { NumberInput, PasswordInput, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SMTP_PRESETS, smtpUrlFromFields, type SmtpSecurity } from '../../../src/mail/smtp-presets.ts';
import '../i18n/go-live.ts';

/** The SMTP server as a person knows it: a provider, or host, port, security, user and password. */
export type SmtpForm = {
  preset: string;
  host: string;
  port: number;
  security: SmtpSecurity;
  user: string;
  password: string;
  /** The stored URL has a password (shown masked): left empty, it is kept. */
  hasPassword: boolean;
};

const MASK = '***';

/** The fields of a stored (masked) SMTP URL: smtps:// is TLS, ?requireTLS STARTTLS, ?ignoreTLS none. */
export function smtpFormOf(url: string | null): SmtpForm {
  const empty: SmtpForm = {
    preset: '',
    host: '',
    port: 587,
    security: 'starttls',
    user: '',
    password: '',
    hasPassword: false,
  };
  if (!url) return empty;
  try {
    const parsed = new URL(url);
    const host = parsed.hostname;
    const security: SmtpSecurity =
      parsed.protocol === 'smtps:' ? 'tls' : parsed.searchParams.get('ignoreTLS') === 'true' ? 'none' : 'starttls';
    const port = Number(parsed.port) || (security === 'tls' ? 465 : 587);
    const preset =
      Object.entries(SMTP_PRESETS).find(
        ([, p]) => p.host === host && p.port === port && p.security === security,
      )?.[0] ?? '';
    return {
      preset,
      host,
      port,
      security,
      user: decodeURIComponent(parsed.username),
      password: '',
      hasPassword: parsed.password !== '',
    };
  } catch {
    return empty;
  }
}

/** The URL the mail settings store (null: no server of the company's own); throws on a bad host or port. */
export function smtpUrlOfForm(form: SmtpForm): string | null {
  if (form.host.trim() === '') return null;
  return smtpUrlFromFields({
    host: form.host,
    port: form.port,
    security: form.security,
    user: form.user || null,
    password: form.password || (form.hasPassword && form.user ? MASK : null),
  });
}

export function SmtpFields({ value, onChange }: { value: SmtpForm; onChange: (next: SmtpForm) => void }) {
  const { t } = useTranslation();
  const choosePreset = (preset: string | null) => {
    const chosen = preset ? SMTP_PRESETS[preset] : undefined;
    onChange(
      chosen
        ? { ...value, preset: preset!, host: chosen.host, port: chosen.port, security: chosen.security }
        : { ...value, preset: '' },
    );
  };
  const manual = value.preset === '';
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      <Select
        label={t('goLive.smtp.preset')}
        name="smtpPreset"
        value={value.preset}
        onChange={choosePreset}
        allowDeselect={false}
        data={[
          { value: '', label: t('goLive.smtp.presetOther') },
          ...Object.entries(SMTP_PRESETS).map(([key, p]) => ({ value: key, label: p.label })),
        ]}
      />
      <TextInput
        label={t('goLive.smtp.host')}
        name="smtpHost"
        value={value.host}
        disabled={!manual}
        placeholder="smtp.example.com"
        description={value.host === '' ? t('goLive.smtp.none') : undefined}
        onChange={(e) => onChange({ ...value, host: e.currentTarget.value })}
      />
      <NumberInput
        label={t('goLive.smtp.port')}
        name="smtpPort"
        value={value.port}
        disabled={!manual}
        min={1}
        max={65535}
        allowDecimal={false}
        onChange={(v) => onChange({ ...value, port: typeof v === 'number' ? v : Number(v) })}
      />
      <Select
        label={t('goLive.smtp.security')}
        name="smtpSecurity"
        value={value.security}
        disabled={!manual}
        allowDeselect={false}
        onChange={(v) => onChange({ ...value, security: (v ?? 'starttls') as SmtpSecurity })}
        data={[
          { value: 'tls', label: t('goLive.smtp.securityTls') },
          { value: 'starttls', label: t('goLive.smtp.securityStarttls') },
          { value: 'none', label: t('goLive.smtp.securityNone') },
        ]}
      />
      <TextInput
        label={t('goLive.smtp.user')}
        name="smtpUser"
        autoComplete="username"
        value={value.user}
        onChange={(e) => onChange({ ...value, user: e.currentTarget.value })}
      />
      <PasswordInput
        label={t('goLive.smtp.password')}
        name="smtpPassword"
        autoComplete="new-password"
        value={value.password}
        description={value.hasPassword ? t('goLive.smtp.passwordKept') : undefined}
        onChange={(e) => onChange({ ...value, password: e.currentTarget.value })}
      />
    </SimpleGrid>
  );
}
