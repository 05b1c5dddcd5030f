import { Button, Menu, Title, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { download, withQuery } from '../api/client.ts';
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
  const exportAs = async (format: 'csv' | 'xlsx') => {
    try {
      await download('GET', withQuery('/api/v1/invoices/export', { ...filters, format }), `factures.${format}`);
    } catch (error) {
      notifications.show({ color: 'red', message: error instanceof Error ? error.message : String(error) });
    }
  };
  return (
    <Stack>
      <PageHeading title={t('invoices.title')} />
      <InvoiceWorkspace filters={filters} onFilters={setFilters} categories={categories}
        toolbar={({ selection }) => (
          <>
            <Menu>
              <Menu.Target><Button variant="default" data-testid="export">{t('invoices.export')}</Button></Menu.Target>
              <Menu.Dropdown>
                <Menu.Item onClick={() => exportAs('csv')} data-testid="export-csv">CSV</Menu.Item>
                <Menu.Item onClick={() => exportAs('xlsx')} data-testid="export-xlsx">Excel (XLSX)</Menu.Item>
              </Menu.Dropdown>
            </Menu>
            {canCollect && (
              <Button variant="light" disabled={selection.selected.size === 0 || selection.allMatching}
                onClick={() => navigate(`/compose?invoices=${[...selection.selected.values()].map((r) => r.id).join(',')}`)}>
                {t('invoices.compose')}
              </Button>
            )}
          </>
        )} />
    </Stack>
  );
}
