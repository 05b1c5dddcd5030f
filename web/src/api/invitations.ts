import { useQuery } from '@tanstack/react-query';
import { get } from './client.ts';

export type Invitation = {
  id: string;
  companyId: string;
  legalName: string;
  role: 'admin' | 'collector' | 'viewer';
  salesRep: string | null;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
};

/** The invitations waiting for the logged-in account, shared by this screen and the menu's link to it. */
export function useInvitations() {
  return useQuery({
    queryKey: ['invitations'],
    queryFn: () => get<{ items: Invitation[] }>('/api/v1/invitations'),
    staleTime: 60_000,
  });
}
