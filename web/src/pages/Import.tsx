import { SegmentedControl, Stack } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeading } from '../components/PageHeading.tsx';
import { CsvImport } from './csv-import.tsx';
import { EInvoiceUpload } from './einvoice-upload.tsx';

export default function Import() {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'csv' | 'einvoices'>('csv');
  const modes = (
    <SegmentedControl
      w="fit-content"
      value={mode}
      onChange={(v) => setMode(v as 'csv' | 'einvoices')}
      data-testid="import-mode"
      data={[
        { value: 'csv', label: t('einvoices.csv') },
        { value: 'einvoices', label: t('einvoices.mode') },
      ]}
    />
  );
  return mode === 'einvoices' ? (
    <Stack maw={1000}>
      <PageHeading title={t('import.title')} />
      {modes}
      <EInvoiceUpload />
    </Stack>
  ) : (
    <CsvImport modes={modes} />
  );
}
