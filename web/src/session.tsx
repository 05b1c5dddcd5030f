import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { ApiError, get, setCsrfToken } from './api/client.ts';
import type { SessionInfo } from './api/types.ts';

const SessionContext = createContext<SessionInfo | null>(null);

export function useSession(): SessionInfo {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a logged-in page');
  return session;
}

export function useIsAdmin(): boolean {
  return useSession().role === 'admin';
}

export function useCanCollect(): boolean {
  return useSession().role !== 'viewer';
}

/** Keeps the session in the query cache; a 401 anywhere sends the user back to the login screen. */
export function useSessionQuery() {
  const client = useQueryClient();
  useEffect(() => {
    const lost = () => client.setQueryData(['session'], null);
    window.addEventListener('relance:unauthenticated', lost);
    return () => window.removeEventListener('relance:unauthenticated', lost);
  }, [client]);
  return useQuery({
    queryKey: ['session'],
    queryFn: async () => {
      try {
        const session = await get<SessionInfo>('/api/v1/session');
        setCsrfToken(session.csrfToken);
        return session;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: Infinity,
    retry: false,
  });
}

export function SessionProvider({ session, children }: { session: SessionInfo; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
