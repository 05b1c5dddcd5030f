import { Anchor, Group, Paper, Stack, Text } from '@mantine/core';
import { useId, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';

type Props = {
  /** File name endings accepted, e.g. ['.xml', '.csv']; others are refused with their names. */
  accept: string[];
  multiple?: boolean;
  disabled?: boolean;
  /** What the zone takes, shown under the hint ("CAMT.053 or CSV"). */
  description: string;
  onFiles(files: File[]): void;
  testId?: string;
};

/**
 * A drop zone that is also a file button: @mantine/dropzone needs react-dropzone 20, which declares
 * Node >= 22 (the project runs on Node 20), and the native input gives keyboard and screen reader use for free.
 */
export function FileDrop({ accept, multiple = false, disabled = false, description, onFiles, testId }: Props) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const [over, setOver] = useState(false);
  const [refused, setRefused] = useState<string[]>([]);

  const take = (list: FileList | null) => {
    const files = [...(list ?? [])];
    const ok = files.filter((f) => accept.some((ending) => f.name.toLowerCase().endsWith(ending)));
    setRefused(files.filter((f) => !ok.includes(f)).map((f) => f.name));
    if (ok.length > 0) onFiles(multiple ? ok : ok.slice(0, 1));
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    if (!disabled) take(event.dataTransfer.files);
  };
  return (
    <Paper
      withBorder
      p="lg"
      data-testid={testId}
      onDrop={drop}
      onDragLeave={() => setOver(false)}
      onDragOver={(event) => {
        event.preventDefault();
        if (!disabled) setOver(true);
      }}
      style={{
        borderStyle: 'dashed',
        borderWidth: 2,
        borderColor: over ? 'var(--mantine-color-indigo-5)' : undefined,
        background: over ? 'var(--mantine-color-indigo-0)' : undefined,
        opacity: disabled ? 0.6 : 1,
      }}
    >
      <Stack gap={4} align="center">
        <Group gap={6}>
          <Text>{t(multiple ? 'drop.hintMany' : 'drop.hint')}</Text>
          <Anchor
            component="label"
            htmlFor={id}
            tabIndex={disabled ? -1 : 0}
            aria-disabled={disabled}
            onKeyDown={(event) => {
              if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault();
                input.current?.click();
              }
            }}
          >
            {t('drop.browse')}
          </Anchor>
        </Group>
        <Text size="sm" c="dimmed">
          {description}
        </Text>
        {refused.length > 0 && (
          <Text size="sm" c="red" role="alert">
            {t('drop.wrongType', { files: refused.join(', ') })}
          </Text>
        )}
      </Stack>
      <input
        ref={input}
        id={id}
        type="file"
        hidden
        accept={accept.join(',')}
        multiple={multiple}
        disabled={disabled}
        onChange={(event) => {
          take(event.currentTarget.files);
          event.currentTarget.value = '';
        }}
      />
    </Paper>
  );
}
