import { Anchor, Badge, Card, Checkbox, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, get } from '../api/client.ts';
import { date, dateTime, money } from '../format.ts';
import { useCanCollect } from '../session.tsx';

type Who = { id: string; customerId: string; customerCode: string; customerName: string; at: string };
type Section<T> = { count: number; items: (Who & T)[] };
type CustomerAnswers = {
  tasks: Section<{ text: string; dueOn: string | null }>;
  schedules: Section<{
    invoiceNumber: string;
    currency: string;
    instalments: { seq: number; dueDate: string; amount: number }[];
    message: string | null;
  }>;
  payments: Section<{ invoiceNumbers: string[]; paidOn: string; amount: number; currency: string; means: string }>;
  promises: Section<{ invoiceNumber: string; date: string; balance: number; currency: string }>;
  replies: Section<{ subject: string }>;
};

function CustomerLink({ item }: { item: Who }) {
  return (
    <Anchor component={Link} to={`/customers/${item.customerId}`} size="sm">
      {item.customerName} ({item.customerCode})
    </Anchor>
  );
}

function Part<T>({
  title,
  section,
  testId,
  row,
}: {
  title: string;
  section: Section<T>;
  testId: string;
  row: (item: Who & T) => ReactNode;
}) {
  const { t } = useTranslation();
  if (section.count === 0) return null;
  return (
    <Stack gap={6} data-testid={testId}>
      <Title order={3} size="h5">
        {title}
      </Title>
      {section.items.map((item) => (
        <Group key={item.id} gap="xs" wrap="nowrap" align="flex-start">
          {row(item)}
        </Group>
      ))}
      {section.count > section.items.length && (
        <Text size="xs" c="dimmed">
          {t('customerAnswers.more', { count: section.count - section.items.length })}
        </Text>
      )}
    </Stack>
  );
}

/**
 * The dashboard's card of what customers answered and a collector must deal with: disputes filed on the payment
 * page, payment plans to accept or refuse, payments announced but not received, promises running and answers to
 * read, each leading to the customer. Hidden when nothing waits.
 */
export function CustomerAnswers() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const canCollect = useCanCollect();
  const query = useQuery({
    queryKey: ['customer-answers'],
    queryFn: () => get<CustomerAnswers>('/api/v1/customer-answers'),
  });
  const d = query.data;
  if (!d) return null;
  const total = d.tasks.count + d.schedules.count + d.payments.count + d.promises.count + d.replies.count;
  if (total === 0) return null;
  const done = async (id: string) => {
    await api('PUT', `/api/v1/tasks/${id}/done`, { done: true });
    await client.invalidateQueries({ queryKey: ['customer-answers'] });
  };
  return (
    <Card withBorder data-testid="customer-answers">
      <Title order={2} size="h4" mb="sm">
        {t('customerAnswers.title')}
      </Title>
      <Stack gap="md">
        <Part
          title={t('customerAnswers.tasks', { count: d.tasks.count })}
          section={d.tasks}
          testId="answers-tasks"
          row={(task) => (
            <>
              {canCollect && (
                <Checkbox mt={2} aria-label={t('customerPage.markDone')} onChange={() => void done(task.id)} />
              )}
              <div>
                <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {task.text}
                </Text>
                <Text size="xs" c="dimmed">
                  {dateTime(task.at)} · <CustomerLink item={task} />
                </Text>
              </div>
            </>
          )}
        />
        <Part
          title={t('customerAnswers.schedules', { count: d.schedules.count })}
          section={d.schedules}
          testId="answers-schedules"
          row={(s) => (
            <div>
              <Text size="sm">
                {t('customerAnswers.schedule', {
                  invoice: s.invoiceNumber,
                  instalments: s.instalments
                    .map((i) => `${date(i.dueDate)} ${money(i.amount, s.currency)}`)
                    .join(' ; '),
                })}
              </Text>
              {s.message && (
                <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                  {s.message}
                </Text>
              )}
              <Text size="xs" c="dimmed">
                {dateTime(s.at)} · <CustomerLink item={s} />
              </Text>
            </div>
          )}
        />
        <Part
          title={t('customerAnswers.payments', { count: d.payments.count })}
          section={d.payments}
          testId="answers-payments"
          row={(p) => (
            <div>
              <Text size="sm">
                {t('customerAnswers.payment', {
                  amount: money(p.amount, p.currency),
                  date: date(p.paidOn),
                  means: t(`customerAnswers.means.${p.means}`, { defaultValue: t('customerAnswers.means.other') }),
                  invoices: p.invoiceNumbers.join(', '),
                })}
              </Text>
              <Text size="xs" c="dimmed">
                {dateTime(p.at)} · <CustomerLink item={p} />
              </Text>
            </div>
          )}
        />
        <Part
          title={t('customerAnswers.promises', { count: d.promises.count })}
          section={d.promises}
          testId="answers-promises"
          row={(p) => (
            <div>
              <Text size="sm">
                {t('customerAnswers.promise', {
                  invoice: p.invoiceNumber,
                  date: date(p.date),
                  balance: money(p.balance, p.currency),
                })}
              </Text>
              <CustomerLink item={p} />
            </div>
          )}
        />
        <Part
          title={t('replies.toRead', { count: d.replies.count })}
          section={d.replies}
          testId="unread-replies"
          row={(r) => (
            <Text size="sm">
              <CustomerLink item={r} /> · {r.subject || t('replies.noSubject')} · {dateTime(r.at)}{' '}
              <Badge color="orange" variant="light" size="xs">
                {t('replies.unread')}
              </Badge>
            </Text>
          )}
        />
      </Stack>
    </Card>
  );
}
