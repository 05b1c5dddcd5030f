import { ActionIcon, Alert, Button, Group, Select, Stack, Table, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../api/client.ts';
import type { Member } from '../api/types.ts';
import { QueryState } from '../components/states.tsx';
import { errorText } from '../api/error-text.ts';

const ROLES = ['admin', 'collector', 'viewer'] as const;

export default function Users() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const users = useQuery({ queryKey: ['users'], queryFn: () => get<{ items: Member[] }>('/api/v1/users') });
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<string>('collector');
  const [salesRep, setSalesRep] = useState('');
  const [password, setPassword] = useState<string | null>(null);
  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      await client.invalidateQueries({ queryKey: ['users'] });
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    }
  };
  const add = () =>
    act(async () => {
      const answer = await api<{ generatedPassword: string | null; invited: boolean }>('POST', '/api/v1/users', {
        email,
        role,
        salesRep: salesRep || null,
      });
      setPassword(answer.generatedPassword ? `${email}: ${answer.generatedPassword}` : null);
      if (answer.invited) notifications.show({ color: 'blue', message: t('users.invited', { email }) });
      setEmail('');
    });
  return (
    <QueryState query={users}>
      {(data) => (
        <Stack maw={900}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('users.email')}</Table.Th>
                <Table.Th>{t('users.role')}</Table.Th>
                <Table.Th>{t('users.salesRep')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((u) => (
                <Table.Tr key={u.userId}>
                  <Table.Td>{u.email}</Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={t('users.roleOf', { email: u.email })}
                      value={u.role}
                      allowDeselect={false}
                      w={150}
                      data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
                      onChange={(v) => v && act(() => api('PATCH', `/api/v1/users/${u.userId}`, { role: v }))}
                    />
                  </Table.Td>
                  <Table.Td>{u.salesRep ?? '—'}</Table.Td>
                  <Table.Td>
                    <ActionIcon
                      color="red"
                      variant="subtle"
                      aria-label={t('users.remove')}
                      onClick={() => act(() => api('DELETE', `/api/v1/users/${u.userId}`))}
                    >
                      ✕
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group align="end">
            <TextInput
              label={t('users.email')}
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              w={260}
            />
            <Select
              label={t('users.role')}
              value={role}
              allowDeselect={false}
              w={150}
              onChange={(v) => v && setRole(v)}
              data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            />
            <TextInput
              label={t('users.salesRep')}
              value={salesRep}
              onChange={(e) => setSalesRep(e.currentTarget.value)}
              w={160}
            />
            <Button onClick={add} disabled={!email}>
              {t('users.add')}
            </Button>
          </Group>
          {password && (
            <Alert color="yellow" title={t('users.passwordOnce')}>
              {password}
            </Alert>
          )}
        </Stack>
      )}
    </QueryState>
  );
}
