import { Button, Group, Select, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField } from './date-field.tsx';
import type { InvoiceFilters } from '../api/types.ts';

const STATUSES = ['open', 'overdue', 'paid', 'cancelled', 'disputed'] as const;

/** Status, category, customer, sales rep, due dates and free text; text fields apply after a short pause. */
export function InvoiceFilterBar({
  filters,
  onChange,
  categories,
}: {
  filters: InvoiceFilters;
  onChange: (f: InvoiceFilters) => void;
  categories?: { key: string; label: string }[];
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filters), [filters]);
  const apply = useDebouncedCallback((next: InvoiceFilters) => onChange(next), 350);
  const text = (key: 'q' | 'customer' | 'salesRep') => ({
    value: draft[key] ?? '',
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => {
      const next = { ...draft, [key]: e.currentTarget.value || undefined };
      setDraft(next);
      apply(next);
    },
  });
  const now = (next: InvoiceFilters) => {
    setDraft(next);
    onChange(next);
  };
  return (
    <Group gap="xs" align="end" wrap="wrap" data-testid="invoice-filters">
      <TextInput label={t('filters.search')} name="q" placeholder={t('filters.searchHint')} w={220} {...text('q')} />
      <Select
        label={t('filters.status')}
        name="status"
        clearable
        w={150}
        value={draft.status ?? null}
        data={STATUSES.map((s) => ({ value: s, label: t(`filters.statuses.${s}`) }))}
        onChange={(v) => now({ ...draft, status: (v ?? undefined) as InvoiceFilters['status'] })}
      />
      {categories && (
        <Select
          label={t('filters.category')}
          name="category"
          clearable
          w={200}
          value={draft.category ?? null}
          data={categories.map((c) => ({ value: c.key, label: c.label }))}
          onChange={(v) => now({ ...draft, category: v ?? undefined })}
        />
      )}
      <TextInput
        label={t('filters.customer')}
        name="customer"
        placeholder={t('filters.customerHint')}
        w={130}
        {...text('customer')}
      />
      <TextInput label={t('filters.salesRep')} name="salesRep" w={140} {...text('salesRep')} />
      <DateField
        label={t('filters.dueFrom')}
        name="dueFrom"
        w={150}
        clearable
        value={draft.dueFrom ?? ''}
        onChange={(value) => now({ ...draft, dueFrom: value || undefined })}
      />
      <DateField
        label={t('filters.dueTo')}
        name="dueTo"
        w={150}
        clearable
        value={draft.dueTo ?? ''}
        onChange={(value) => now({ ...draft, dueTo: value || undefined })}
      />
      <Button variant="default" onClick={() => now({})}>
        {t('filters.reset')}
      </Button>
    </Group>
  );
}
