import { Anchor, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client.ts';
import { dateTime } from '../format.ts';

type PortalFile = {
  id: string;
  invoiceNumber: string;
  filename: string;
  contentType: string;
  size: number;
  createdAt: string;
};

/** The files the customer attached to disputes on their payment page, to download. Hidden when there are none. */
export function CustomerFiles({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const files = useQuery({
    queryKey: ['portal-files', customerId],
    queryFn: () => get<{ items: PortalFile[] }>(`/api/v1/customers/${customerId}/portal-files`),
  });
  const items = files.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Card withBorder data-testid="customer-files">
      <Title order={2} size="h4" mb="xs">
        {t('customerFiles.title')}
      </Title>
      <Stack gap={6}>
        {items.map((file) => (
          <Group key={file.id} gap="xs">
            {/* A link, not a preview: the file is the customer's and is only ever downloaded. */}
            <Anchor size="sm" href={`/api/v1/portal-files/${file.id}`} download={file.filename}>
              {file.filename}
            </Anchor>
            <Text size="xs" c="dimmed">
              {t('customerFiles.detail', {
                invoice: file.invoiceNumber,
                at: dateTime(file.createdAt),
                size: Math.max(1, Math.round(file.size / 1024)),
              })}
            </Text>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}
