import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/dates/styles.css';
import {
  createTheme,
  defaultVariantColorsResolver,
  MantineProvider,
  parseThemeColor,
  type CSSVariablesResolver,
} from '@mantine/core';
import './a11y.css';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ApiError } from './api/client.ts';
import { App } from './App.tsx';
import { AppDates } from './components/date-field.tsx';
import './i18n/index.ts';

// WCAG AA contrast: text and light badges one shade darker than Mantine's 6 (red 6 on white is 3.1:1),
// filled badges and buttons with black or white text by luminance, and dimmed text in gray 7 (gray 6 is 3.3:1).
const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'sm',
  primaryShade: { light: 8, dark: 8 },
  autoContrast: true,
  luminanceThreshold: 0.35,
  // Light badges, buttons and alerts write their text in shade 9 of their colour (shade 6 on its tint is about 3.5:1);
  // the pale hues (green, orange…) do not reach 4.5:1 even at 9 and write theirs in near-black.
  variantColorResolver: (input) => {
    const colors = defaultVariantColorsResolver(input);
    const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
    if (input.variant === 'light' && parsed.isThemeColor && parsed.shade === undefined) {
      const pale = ['green', 'teal', 'lime', 'yellow', 'orange', 'cyan'].includes(parsed.color);
      return { ...colors, color: pale ? 'var(--mantine-color-dark-8)' : `var(--mantine-color-${parsed.color}-9)` };
    }
    return colors;
  },
});
const contrast: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});
const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
      refetchOnWindowFocus: false,
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={contrast}>
      <QueryClientProvider client={queryClient}>
        <ModalsProvider>
          <Notifications position="top-right" />
          <AppDates>
            <BrowserRouter>
              <App />
            </BrowserRouter>
          </AppDates>
        </ModalsProvider>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
