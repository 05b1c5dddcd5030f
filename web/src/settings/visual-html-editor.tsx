import '@mantine/tiptap/styles.css';
import { Alert, Select, Stack, Text } from '@mantine/core';
import { RichTextEditor } from '@mantine/tiptap';
import { useQuery } from '@tanstack/react-query';
import { useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client.ts';
import { fromEditor, liquidTokens, toEditor } from './liquid-html.ts';
import { RawBlock, RawInline } from './raw-liquid.ts';

type Variable = { name: string; type: string; fr: string; en: string };

/**
 * The e-mail's HTML edited as formatted text, with a picker that writes `{{ variable }}` at the cursor; every change
 * writes the template underneath (`onChange`), which the preview and the server check as they check the raw editor.
 * A template whose Liquid the editor could not keep unchanged is refused here (`onUnfit`): the raw editor stays.
 */
export function VisualHtmlEditor({
  html,
  disabled,
  onChange,
  onUnfit,
}: {
  html: string;
  disabled: boolean;
  onChange: (html: string) => void;
  onUnfit: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { content, shell } = useMemo(() => toEditor(html), [html]);
  const [picked, setPicked] = useState<string | null>(null);
  const checked = useRef(false);
  const variables = useQuery({
    queryKey: ['template-variables'],
    queryFn: () => get<{ variables: Variable[] }>('/api/v1/templates/variables'),
    staleTime: Infinity,
  });
  const editor = useEditor({
    extensions: [StarterKit, RawBlock, RawInline],
    content,
    editable: !disabled,
    immediatelyRender: true,
    // The editable area is the textbox screen readers reach: it carries the field's name.
    editorProps: { attributes: { 'aria-label': t('templateVisual.body') } },
    onUpdate: ({ editor: e }) => onChange(fromEditor(e.getHTML(), shell)),
  });
  // Opened once: if the trip through the editor would change the template's Liquid, the raw editor is the one to use.
  useEffect(() => {
    // Under React's double mount the first editor may already be destroyed (its schema gone): wait for the live one.
    if (!editor || editor.isDestroyed || checked.current) return;
    checked.current = true;
    const back = fromEditor(editor.getHTML(), shell);
    if (liquidTokens(back).join('\n') !== liquidTokens(html).join('\n')) onUnfit();
  }, [editor, html, shell, onUnfit]);
  const options = (variables.data?.variables ?? [])
    .filter((v) => v.type !== 'group' && !v.type.includes('list') && !v.name.includes('[]'))
    .map((v) => ({ value: v.name, label: `${v.name} — ${i18n.language === 'en' ? v.en : v.fr}` }));
  const insert = (name: string | null) => {
    if (!name || !editor) return;
    editor.chain().focus().insertContent(`{{ ${name} }}`).run();
    setPicked(null);
  };
  return (
    <Stack gap="xs" data-testid="visual-editor">
      <Text size="sm" fw={500}>
        {t('templateVisual.body')}
      </Text>
      {!disabled && (
        <Select
          label={t('templateVisual.variable')}
          placeholder={t('templateVisual.variableHint')}
          searchable
          data={options}
          value={picked}
          onChange={insert}
          data-testid="variable-picker"
          nothingFoundMessage={t('common.none')}
        />
      )}
      <RichTextEditor
        editor={editor}
        labels={{
          boldControlLabel: t('templateVisual.bold'),
          italicControlLabel: t('templateVisual.italic'),
          underlineControlLabel: t('templateVisual.underline'),
          clearFormattingControlLabel: t('templateVisual.clear'),
          bulletListControlLabel: t('templateVisual.bullets'),
          orderedListControlLabel: t('templateVisual.numbers'),
          linkControlLabel: t('templateVisual.link'),
          unlinkControlLabel: t('templateVisual.unlink'),
          undoControlLabel: t('templateVisual.undo'),
          redoControlLabel: t('templateVisual.redo'),
          linkEditorInputLabel: t('templateVisual.linkUrl'),
          linkEditorInputPlaceholder: 'https://…',
          linkEditorSave: t('common.save'),
          linkEditorExternalLink: t('templateVisual.externalLink'),
          linkEditorInternalLink: t('templateVisual.internalLink'),
        }}
      >
        {!disabled && (
          <RichTextEditor.Toolbar>
            <RichTextEditor.ControlsGroup>
              <RichTextEditor.Bold />
              <RichTextEditor.Italic />
              <RichTextEditor.Underline />
              <RichTextEditor.ClearFormatting />
            </RichTextEditor.ControlsGroup>
            <RichTextEditor.ControlsGroup>
              <RichTextEditor.BulletList />
              <RichTextEditor.OrderedList />
            </RichTextEditor.ControlsGroup>
            <RichTextEditor.ControlsGroup>
              <RichTextEditor.Link />
              <RichTextEditor.Unlink />
            </RichTextEditor.ControlsGroup>
            <RichTextEditor.ControlsGroup>
              <RichTextEditor.Undo />
              <RichTextEditor.Redo />
            </RichTextEditor.ControlsGroup>
          </RichTextEditor.Toolbar>
        )}
        <RichTextEditor.Content />
      </RichTextEditor>
      <Alert variant="light" color="gray">
        {t('templateVisual.rawHint')}
      </Alert>
    </Stack>
  );
}
