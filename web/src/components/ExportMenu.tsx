import { Button, Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { download, withQuery } from '../api/client.ts';
import type { InvoiceFilters } from '../api/types.ts';
import { errorText } from '../api/error-text.ts';

/** CSV / Excel export of the whole filtered invoice list (every page, the category included). */
export function ExportMenu({ filters, name }: { filters: InvoiceFilters; name: string }) {
  const { t, i18n } = useTranslation();
  const exportAs = async (format: 'csv' | 'xlsx') => {
    try {
      await download(
        'GET',
        withQuery('/api/v1/invoices/export', { ...filters, format, lang: i18n.language === 'en' ? 'en' : 'fr' }),
        `${name}.${format}`,
      );
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    }
  };
  return (
    <Menu>
      <Menu.Target>
        <Button variant="default" data-testid="export">
          {t('invoices.export')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={() => exportAs('csv')} data-testid="export-csv">
          CSV
        </Menu.Item>
        <Menu.Item onClick={() => exportAs('xlsx')} data-testid="export-xlsx">
          Excel (XLSX)
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
