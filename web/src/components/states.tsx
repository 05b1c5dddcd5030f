import { Alert, Center, Loader, Stack, Text, type LoaderProps } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { errorText } from '../api/error-text.ts';
import { issueFieldText, issueReasonText } from './issue-text.ts';

export function ErrorState({ error }: { error: unknown }) {
  const { t, i18n } = useTranslation();
  const message = errorText(error);
  return (
    <Alert color="red" title={t('common.error')} role="alert">
      {message}
      {error instanceof ApiError && error.errors && error.errors.length > 0 && (
        <ul>
          {error.errors.map((e, i) => (
            <li key={i}>
              {e.line ? `${t('common.line')} ${e.line} · ` : ''}
              {t('common.issue', { field: issueFieldText(e.field, t, i18n), reason: issueReasonText(e, t, i18n) })}
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}

/**
 * Mantine's spinner is a bare <span>: a name on it alone is an ARIA attribute its role does not allow (axe:
 * aria-prohibited-attr). As a status it is named, and screen readers announce that the screen is loading.
 */
export function Spinner(props: Pick<LoaderProps, 'size'>) {
  const { t } = useTranslation();
  return <Loader role="status" aria-label={t('common.loading')} {...props} />;
}

export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <Center py="xl">
      <Text c="dimmed">{children}</Text>
    </Center>
  );
}

/** The three states every screen has: loading, failed, or its content. */
export function QueryState<T>({
  query,
  children,
}: {
  query: { isPending: boolean; isError: boolean; error: unknown; data: T | undefined };
  children: (data: T) => ReactNode;
}) {
  if (query.isPending)
    return (
      <Center h={160}>
        <Stack align="center">
          <Spinner />
        </Stack>
      </Center>
    );
  if (query.isError) return <ErrorState error={query.error} />;
  return <>{children(query.data as T)}</>;
}
