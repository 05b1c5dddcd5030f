import {
  Alert,
  Button,
  Grid,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../api/client.ts';
import { HtmlPreview } from '../components/HtmlPreview.tsx';
import { stoppedText } from '../components/issue-text.ts';
import { ErrorState, QueryState } from '../components/states.tsx';
import { templateKinds } from '../components/template-kinds.ts';
import { useIsAdmin, useSession } from '../session.tsx';
import { errorText } from '../api/error-text.ts';

type Template = {
  key: string;
  language: string;
  title: string;
  custom: boolean;
  updatedAt: string | null;
  subject: string;
  text: string;
  html: string;
  letter: string;
};
type Preview = {
  level: number;
  customer: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  letter: string;
};
type Field = 'subject' | 'text' | 'html' | 'letter';

// The rich-text editor (TipTap) is loaded only when a template is opened in it.
const VisualHtmlEditor = lazy(() => import('./visual-html-editor.tsx').then((m) => ({ default: m.VisualHtmlEditor })));

/** Templates per kind and language, edited with a live preview on sample data; saved on demand (the server checks each field). */
export default function TemplateEditor() {
  const { t, i18n } = useTranslation();
  const list = useQuery({ queryKey: ['templates'], queryFn: () => get<{ items: Template[] }>('/api/v1/templates') });
  const [key, setKey] = useState<string | null>(null);
  const [language, setLanguage] = useState<'fr' | 'en'>('fr');
  return (
    <QueryState query={list}>
      {(data) => {
        const kinds = templateKinds(data.items, i18n.language);
        const chosen = key ?? kinds[0]?.value ?? null;
        const template = data.items.find((i) => i.key === chosen && i.language === language);
        return (
          <Stack>
            <Group>
              <Select
                label={t('templates.kind')}
                value={chosen}
                allowDeselect={false}
                w={260}
                data={kinds}
                onChange={setKey}
              />
              <SegmentedControl
                mt="lg"
                value={language}
                onChange={(v) => setLanguage(v as 'fr' | 'en')}
                data={[
                  { value: 'fr', label: 'Français' },
                  { value: 'en', label: 'English' },
                ]}
              />
            </Group>
            {template ? (
              <Draft key={`${template.key}/${template.language}`} template={template} />
            ) : (
              <Text c="dimmed">{t('common.none')}</Text>
            )}
          </Stack>
        );
      }}
    </QueryState>
  );
}

function Draft({ template }: { template: Template }) {
  const { t, i18n } = useTranslation();
  const admin = useIsAdmin();
  const session = useSession();
  const client = useQueryClient();
  const fieldsOf = (from: Template): Record<Field, string> => ({
    subject: from.subject,
    text: from.text,
    html: from.html,
    letter: from.letter,
  });
  const [draft, setDraft] = useState(() => fieldsOf(template));
  const [mode, setMode] = useState<'visual' | 'source'>('visual');
  const [unfit, setUnfit] = useState(false);
  const onUnfit = useCallback(() => {
    setUnfit(true);
    setMode('source');
  }, []);
  const setHtml = useCallback((html: string) => setDraft((prev) => ({ ...prev, html })), []);
  const [debounced] = useDebouncedValue(draft, 400);
  const [testTo, setTestTo] = useState(session.user.email);
  const preview = useQuery({
    queryKey: ['template-preview', template.key, template.language, debounced],
    queryFn: () =>
      api<Preview>('POST', `/api/v1/templates/${template.key}/${template.language}/preview`, { draft: debounced }),
    retry: false,
  });
  useEffect(() => setDraft(fieldsOf(template)), [template]);
  const save = async () => {
    try {
      await api('PUT', `/api/v1/templates/${template.key}/${template.language}`, draft);
      await client.invalidateQueries({ queryKey: ['templates'] });
      notifications.show({ color: 'green', message: t('common.saved') });
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    }
  };
  const reset = async () => {
    await api('DELETE', `/api/v1/templates/${template.key}/${template.language}`).catch(() => undefined);
    await client.invalidateQueries({ queryKey: ['templates'] });
  };
  const testSend = async () => {
    try {
      const answer = await api<{ dispatch: Parameters<typeof stoppedText>[0] & { sent: number } }>(
        'POST',
        '/api/v1/templates/test-send',
        { level: preview.data?.level ?? 1, to: testTo, language: template.language, template: template.key },
      );
      notifications.show({
        color: answer.dispatch.sent > 0 ? 'green' : 'orange',
        message:
          answer.dispatch.sent > 0
            ? t('templates.testSent', { to: testTo })
            : (stoppedText(answer.dispatch, t, i18n) ?? t('templates.testQueued')),
      });
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    }
  };
  const field = (name: Field, rows: number) => (
    <Textarea
      label={t(`templates.fields.${name}`)}
      value={draft[name]}
      autosize
      minRows={name === 'subject' ? 1 : rows}
      maxRows={18}
      disabled={!admin}
      styles={{ input: { fontFamily: 'monospace', fontSize: 13 } }}
      onChange={(e) => setDraft({ ...draft, [name]: e.currentTarget.value })}
    />
  );
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Stack>
          <SegmentedControl
            w="fit-content"
            value={mode}
            onChange={(v) => setMode(v as 'visual' | 'source')}
            data-testid="editor-mode"
            data={[
              { value: 'visual', label: t('templateVisual.visual'), disabled: unfit },
              { value: 'source', label: t('templateVisual.source') },
            ]}
          />
          {unfit && (
            <Alert color="yellow" variant="light">
              {t('templateVisual.unfit')}
            </Alert>
          )}
          {field('subject', 1)}
          {field('text', 10)}
          {mode === 'visual' ? (
            <Suspense fallback={<Text c="dimmed">{t('common.loading')}</Text>}>
              <VisualHtmlEditor html={draft.html} disabled={!admin} onChange={setHtml} onUnfit={onUnfit} />
            </Suspense>
          ) : (
            field('html', 10)
          )}
          {field('letter', 8)}
          {admin && (
            <Group>
              <Button onClick={save}>{t('common.save')}</Button>
              {template.custom && (
                <Button variant="default" onClick={reset}>
                  {t('templates.reset')}
                </Button>
              )}
            </Group>
          )}
          <Group align="end">
            <TextInput
              label={t('templates.testTo')}
              value={testTo}
              onChange={(e) => setTestTo(e.currentTarget.value)}
              w={260}
            />
            <Button variant="light" onClick={testSend}>
              {t('templates.testSend')}
            </Button>
          </Group>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Paper withBorder p="md" data-testid="template-preview">
          <Title order={5} mb="xs">
            {t('templates.preview')}
          </Title>
          {preview.isError ? (
            <ErrorState error={preview.error} />
          ) : preview.data ? (
            <Stack gap="xs">
              <Text size="sm" c="dimmed">
                {t('templates.previewFor', { customer: preview.data.customer, to: preview.data.to.join(', ') })}
              </Text>
              <Text fw={600}>{preview.data.subject}</Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {preview.data.text}
              </Text>
              <Alert variant="light" title={t('templates.fields.letter')}>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {preview.data.letter}
                </Text>
              </Alert>
              <Text size="sm" fw={500}>
                {t('templates.html')}
              </Text>
              <HtmlPreview html={preview.data.html} title={t('templates.html')} />
            </Stack>
          ) : (
            <Text c="dimmed">{t('common.loading')}</Text>
          )}
        </Paper>
      </Grid.Col>
    </Grid>
  );
}
