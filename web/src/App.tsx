import { Center } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { ErrorState, Spinner } from './components/states.tsx';
import { Layout } from './Layout.tsx';
import { Login } from './pages/Login.tsx';
import { SessionProvider, useSessionQuery } from './session.tsx';

// Each screen is its own chunk: the first screen (login, then the dashboard) loads only what it needs.
const Dashboard = lazy(() => import('./pages/Dashboard.tsx'));
const Invoices = lazy(() => import('./pages/Invoices.tsx'));
const InvoicePage = lazy(() => import('./pages/InvoicePage.tsx'));
const Relances = lazy(() => import('./pages/Relances.tsx'));
const Customers = lazy(() => import('./pages/Customers.tsx'));
const CustomerPage = lazy(() => import('./pages/CustomerPage.tsx'));
const Composer = lazy(() => import('./pages/Composer.tsx'));
const Sent = lazy(() => import('./pages/Sent.tsx'));
const Outbox = lazy(() => import('./pages/Outbox.tsx'));
const Import = lazy(() => import('./pages/Import.tsx'));
const Bank = lazy(() => import('./pages/Bank.tsx'));
const Settings = lazy(() => import('./settings/Settings.tsx'));
const Reports = lazy(() => import('./pages/Reports.tsx'));
const Payments = lazy(() => import('./pages/Payments.tsx'));
const Cheques = lazy(() => import('./pages/Cheques.tsx'));
const Quotes = lazy(() => import('./pages/Quotes.tsx'));
const Sepa = lazy(() => import('./pages/Sepa.tsx'));
const Invitations = lazy(() => import('./pages/Invitations.tsx'));

export function Loading() {
  return (
    <Center h={200}>
      <Spinner />
    </Center>
  );
}

export function App() {
  const session = useSessionQuery();
  if (session.isPending) return <Loading />;
  if (session.isError) return <ErrorState error={session.error} />;
  if (!session.data) return <Login />;
  return (
    <SessionProvider session={session.data}>
      <Layout>
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="/" element={<Dashboard />} />
            <Route path="/invoices" element={<Invoices />} />
            <Route path="/invoices/:id" element={<InvoicePage />} />
            <Route path="/relances" element={<Relances />} />
            <Route path="/customers" element={<Customers />} />
            <Route path="/customers/:id" element={<CustomerPage />} />
            <Route path="/compose" element={<Composer />} />
            <Route path="/sent" element={<Sent />} />
            <Route path="/outbox" element={<Outbox />} />
            <Route path="/import" element={<Import />} />
            <Route path="/bank" element={<Bank />} />
            <Route path="/reports" element={<Reports />} />
            <Route path="/payments" element={<Payments />} />
            <Route path="/cheques" element={<Cheques />} />
            <Route path="/quotes" element={<Quotes />} />
            <Route path="/sepa" element={<Sepa />} />
            <Route path="/invitations" element={<Invitations />} />
            <Route path="/settings/*" element={<Settings />} />
            <Route path="*" element={<Dashboard />} />
          </Routes>
        </Suspense>
      </Layout>
    </SessionProvider>
  );
}
