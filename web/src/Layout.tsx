import { AppShell, Burger, Group, NavLink, SegmentedControl, Select, Text, Button, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { api, setCsrfToken } from './api/client.ts';
import { useInvitations } from './api/invitations.ts';
import type { SessionInfo } from './api/types.ts';
import { setLanguage } from './i18n/index.ts';
import { useSession } from './session.tsx';

const LINKS = [
  { to: '/', key: 'nav.dashboard' },
  { to: '/relances', key: 'nav.relances' },
  { to: '/invoices', key: 'nav.invoices' },
  { to: '/customers', key: 'nav.customers' },
  { to: '/compose', key: 'nav.composer', collect: true },
  { to: '/sent', key: 'nav.sent' },
  { to: '/outbox', key: 'nav.outbox' },
  { to: '/payments', key: 'payments.nav' },
  { to: '/cheques', key: 'cheques.nav' },
  { to: '/bank', key: 'bank.nav' },
  { to: '/sepa', key: 'sepa.nav' },
  { to: '/quotes', key: 'quotes.nav' },
  { to: '/reports', key: 'reports.nav' },
  { to: '/import', key: 'nav.import', admin: true },
  { to: '/settings', key: 'nav.settings' },
];

export function Layout({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const client = useQueryClient();
  const location = useLocation();
  const navigate = useNavigate();
  const [opened, { toggle }] = useDisclosure();
  const invitations = useInvitations().data?.items.length ?? 0;

  const switchCompany = async (companyId: string | null) => {
    if (!companyId || companyId === session.company.id) return;
    const next = await api<SessionInfo>('PUT', '/api/v1/session/company', { companyId });
    setCsrfToken(next.csrfToken);
    client.setQueryData(['session'], next);
    navigate('/');
    // Everything else cached belongs to the previous company (clear() would detach the session's observers).
    await client.resetQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
  };
  const logout = async () => {
    await api('DELETE', '/api/v1/session').catch(() => undefined);
    setCsrfToken(null);
    client.setQueryData(['session'], null);
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
  };

  const links = LINKS.filter(
    (l) => (!l.admin || session.role === 'admin') && (!l.collect || session.role !== 'viewer'),
  );
  const active = (to: string) => (to === '/' ? location.pathname === '/' : location.pathname.startsWith(to));
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        {/* The first Tab stop: straight to the screen's content, past the header and the menu. */}
        <a href="#main" className="skip-link" data-testid="skip-link">
          {t('a11y.skipToContent')}
        </a>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} />
            <Title order={3} c="indigo">
              relance
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            {session.companies.length > 1 ? (
              <Select
                aria-label={t('nav.company')}
                data-testid="company-switch"
                value={session.company.id}
                allowDeselect={false}
                data={session.companies.map((c) => ({ value: c.id, label: c.legalName }))}
                onChange={switchCompany}
                w={240}
              />
            ) : (
              <Text fw={500} data-testid="company-name">
                {session.company.legalName}
              </Text>
            )}
            <SegmentedControl
              aria-label={t('nav.language')}
              data-testid="language-switch"
              size="xs"
              value={i18n.language}
              onChange={(lang) => setLanguage(lang)}
              data={[
                { value: 'fr', label: 'FR' },
                { value: 'en', label: 'EN' },
              ]}
            />
            <Text size="sm" c="dimmed" visibleFrom="md">
              {session.user.email} · {t(`roles.${session.role}`)}
            </Text>
            <Button variant="subtle" size="xs" onClick={logout}>
              {t('nav.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('nav.menu')}>
        {links.map((l) => (
          <NavLink
            key={l.to}
            component={Link}
            to={l.to}
            label={t(l.key)}
            active={active(l.to)}
            onClick={() => opened && toggle()}
          />
        ))}
        {/* Shown while another company waits for this account's answer (or while its screen is open). */}
        {(invitations > 0 || active('/invitations')) && (
          <NavLink
            component={Link}
            to="/invitations"
            label={t('invitations.nav', { count: invitations })}
            active={active('/invitations')}
            color="orange"
            variant="filled"
            data-testid="invitations-link"
            onClick={() => opened && toggle()}
          />
        )}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1} style={{ outline: 'none' }}>
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
