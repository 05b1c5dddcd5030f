import { Button, FileInput, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../api/client.ts';
import '../i18n/go-live.ts';
import { errorText } from '../api/error-text.ts';

type LogoView = { logo: { mediaType: string; bytes: number } | null };

/** The file's bytes in base64, as the logo route takes them. */
function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable file'));
    reader.readAsDataURL(file);
  });
}

/** The logo printed in the letterhead: what is saved, a file to replace it, and its removal. */
export function CompanyLogo() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const query = useQuery({ queryKey: ['company-logo'], queryFn: () => get<LogoView>('/api/v1/company/logo') });
  const [busy, setBusy] = useState(false);
  const send = async (image: string | null) => {
    setBusy(true);
    try {
      client.setQueryData(['company-logo'], await api<LogoView>('PUT', '/api/v1/company/logo', { image }));
      notifications.show({ color: 'green', message: t('common.saved') });
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    } finally {
      setBusy(false);
    }
  };
  const logo = query.data?.logo ?? null;
  return (
    <Group align="end">
      <FileInput
        label={t('goLive.company.logo')}
        placeholder={t('goLive.company.logoChoose')}
        // The file input draws its placeholder as text: dark enough for WCAG AA contrast.
        styles={{ placeholder: { color: 'var(--mantine-color-gray-7)' } }}
        accept="image/png,image/jpeg"
        name="logo"
        w={320}
        disabled={busy}
        value={null}
        onChange={(file) => {
          if (file) void base64Of(file).then(send);
        }}
      />
      <Text size="sm" c="dimmed" data-testid="logo-state">
        {logo
          ? t('goLive.company.logoSet', {
              type: logo.mediaType.replace('image/', '').toUpperCase(),
              size: Math.max(1, Math.round(logo.bytes / 1024)),
            })
          : t('goLive.company.logoNone')}
      </Text>
      {logo && (
        <Button variant="subtle" color="red" size="xs" loading={busy} onClick={() => void send(null)}>
          {t('goLive.company.logoRemove')}
        </Button>
      )}
    </Group>
  );
}
