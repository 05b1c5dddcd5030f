import { Stack, Tabs } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { Loading } from '../App.tsx';
import { useIsAdmin } from '../session.tsx';
import { PageHeading } from '../components/PageHeading.tsx';

const PolicyEditor = lazy(() => import('./PolicyEditor.tsx'));
const TemplateEditor = lazy(() => import('./TemplateEditor.tsx'));
const CompanyProfile = lazy(() => import('./CompanyProfile.tsx'));
const MailSettings = lazy(() => import('./MailSettings.tsx'));
const Automation = lazy(() => import('./Automation.tsx'));
const Users = lazy(() => import('./Users.tsx'));
const RatesSettings = lazy(() => import('./Rates.tsx'));

const TABS = ['policy', 'templates', 'company', 'mail', 'automation', 'rates', 'users'] as const;

export default function Settings() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const admin = useIsAdmin();
  const tab = TABS.find((k) => location.pathname.endsWith(`/${k}`)) ?? 'policy';
  return (
    <Stack>
      {/* Each tab is its own page for the browser's tab and history; the heading stays "Paramètres". */}
      <PageHeading title={`${t(`settings.tabs.${tab}`)} · ${t('settings.title')}`}>{t('settings.title')}</PageHeading>
      <Tabs value={tab} onChange={(v) => navigate(`/settings/${v}`)} keepMounted={false}>
        <Tabs.List>
          {TABS.filter((k) => admin || k === 'policy' || k === 'templates' || k === 'rates').map((k) => (
            <Tabs.Tab key={k} value={k}>
              {t(`settings.tabs.${k}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Suspense fallback={<Loading />}>
        {tab === 'policy' && <PolicyEditor />}
        {tab === 'templates' && <TemplateEditor />}
        {tab === 'company' && <CompanyProfile />}
        {tab === 'mail' && <MailSettings />}
        {tab === 'automation' && <Automation />}
        {tab === 'rates' && <RatesSettings />}
        {tab === 'users' && <Users />}
      </Suspense>
    </Stack>
  );
}
