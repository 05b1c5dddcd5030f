import { Button, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ExportMenu } from '../components/ExportMenu.tsx';
import { InvoiceWorkspace } from '../components/InvoiceWorkspace.tsx';
import { useInvoiceFilters } from '../components/invoice-query.ts';
import { useCategoryOptions } from './relances-data.ts';
import { useCanCollect } from '../session.tsx';
import { PageHeading } from '../components/PageHeading.tsx';

export default function Invoices() {
  const { t } = useTranslation();
  const [filters, setFilters] = useInvoiceFilters();
  const categories = useCategoryOptions();
  const navigate = useNavigate();
  const canCollect = useCanCollect();
  return (
    <Stack>
      <PageHeading title={t('invoices.title')} />
      <InvoiceWorkspace
        filters={filters}
        onFilters={setFilters}
        categories={categories}
        toolbar={({ selection }) => (
          <>
            <ExportMenu filters={filters} name="factures" />
            {canCollect && (
              <Button
                variant="light"
                disabled={selection.selected.size === 0 || selection.allMatching}
                onClick={() =>
                  navigate(`/compose?invoices=${[...selection.selected.values()].map((r) => r.id).join(',')}`)
                }
              >
                {t('invoices.compose')}
              </Button>
            )}
          </>
        )}
      />
    </Stack>
  );
}
