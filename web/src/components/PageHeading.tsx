import { Title, type TitleProps } from '@mantine/core';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The one h1 of a screen (drawn at h2 size) and the browser tab's title, so screen readers, history and
 * tabs name each screen instead of repeating "relance" everywhere.
 */
export function PageHeading({
  title,
  children,
  ...props
}: { title: string; children?: ReactNode } & Omit<TitleProps, 'order' | 'title'>) {
  usePageTitle(title);
  return (
    <Title order={1} size="h2" id="page-title" {...props}>
      {children ?? title}
    </Title>
  );
}

export function usePageTitle(title: string): void {
  const { i18n } = useTranslation();
  useEffect(() => {
    document.title = `${title} · relance`;
  }, [title, i18n.language]);
}
