import { DateInput, DatesProvider, TimePicker, type DateInputProps, type TimePickerProps } from '@mantine/dates';
import 'dayjs/locale/en-gb';
import 'dayjs/locale/fr';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { parseTypedDate } from '../typed-date.ts';

/** The calendars speak the app's language (months, weekdays, Monday first), not the browser's. */
export function AppDates({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return (
    <DatesProvider settings={{ locale: i18n.language === 'en' ? 'en-gb' : 'fr', firstDayOfWeek: 1 }}>
      {children}
    </DatesProvider>
  );
}

type DateFieldProps = Omit<DateInputProps, 'value' | 'onChange'> & {
  /** 'YYYY-MM-DD', or '' for none. */
  value: string;
  onChange: (value: string) => void;
};

/** A date field written and read as dd/mm/yyyy whatever the browser's locale, with a calendar in the app's language. */
export function DateField({ value, onChange, ...props }: DateFieldProps) {
  const { t } = useTranslation();
  return (
    <DateInput
      valueFormat="DD/MM/YYYY"
      placeholder={t('common.datePlaceholder')}
      dateParser={parseTypedDate}
      value={value === '' ? null : value}
      onChange={(next) => onChange(next ?? '')}
      {...props}
    />
  );
}

/** A time of day on 24 hours (09:00, 18:30), whatever the browser's locale. */
export function TimeField(props: Omit<TimePickerProps, 'format'>) {
  return <TimePicker format="24h" {...props} />;
}
