import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client.ts';

type TemplateTitle = { key: string; language: string; title: string };
export type TemplateKind = { value: string; label: string };

/** Each template kind once, named in the screen's language (the list holds one title per template language). */
export function templateKinds(items: TemplateTitle[], language: string): TemplateKind[] {
  const ui = language === 'en' ? 'en' : 'fr';
  return [...new Map(items.filter((i) => i.language === ui).map((i) => [i.key, i.title])).entries()].map(
    ([value, label]) => ({ value, label }),
  );
}

/** The template kinds a step or a message can use, for a select (the template editor's list, shared in cache). */
export function useTemplateKinds(): TemplateKind[] {
  const { i18n } = useTranslation();
  const templates = useQuery({
    queryKey: ['templates'],
    queryFn: () => get<{ items: TemplateTitle[] }>('/api/v1/templates'),
  });
  return templateKinds(templates.data?.items ?? [], i18n.language);
}
