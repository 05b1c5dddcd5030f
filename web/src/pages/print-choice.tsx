import { Checkbox, Radio, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** What "PDF imprimable" does: a preview that records nothing, or letters printed now and recorded as posted. */
export type PrintChoiceValue = { record: boolean; copies: boolean };

/**
 * The body of the "PDF imprimable" confirmation: the two choices, said plainly, and the invoice copies as an
 * option. The choice is reported through `onChange` (the confirmation's button reads it when clicked).
 */
export function PrintChoice({ count, onChange }: { count: number; onChange: (value: PrintChoiceValue) => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState<PrintChoiceValue>({ record: false, copies: false });
  const change = (next: PrintChoiceValue) => {
    setValue(next);
    onChange(next);
  };
  return (
    <Stack gap="sm">
      <Radio.Group
        value={value.record ? 'record' : 'preview'}
        onChange={(v) => change({ ...value, record: v === 'record' })}
        name="print-choice"
      >
        <Stack gap={6}>
          <Radio value="preview" label={t('relances.printPreview')} data-testid="print-preview" />
          <Radio value="record" label={t('relances.printRecord')} data-testid="print-record" />
        </Stack>
      </Radio.Group>
      <Checkbox
        label={t('relances.invoiceCopies')}
        checked={value.copies}
        onChange={(e) => change({ ...value, copies: e.currentTarget.checked })}
        data-testid="print-copies"
      />
      <Text size="sm" data-testid="confirm-text">
        {value.record ? t('relances.printRecordText', { count }) : t('relances.confirmPdf', { count })}
      </Text>
    </Stack>
  );
}
