import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { pollInterval } from '../live/live';
import { api, asPage, ok } from './client';

/** How often open pages re-read what they show, so they follow a case without a reload. */
export const POLL_MS = 3000;

export const keys = {
  case: (caseNo: string) => ['case', caseNo] as const,
  events: (caseNo: string) => ['case', caseNo, 'events'] as const,
  application: (caseNo: string) => ['case', caseNo, 'application'] as const,
  cases: (filter: object) => ['cases', filter] as const,
  tasks: (state: string) => ['tasks', state] as const,
  matters: ['matters'] as const,
  departments: ['departments'] as const,
};

export function useCase(caseNo: string) {
  return useQuery({
    queryKey: keys.case(caseNo),
    queryFn: async () => ok(await api.GET('/api/cases/{caseNo}', { params: { path: { caseNo } } })),
    refetchInterval: pollInterval(POLL_MS),
  });
}

export function useCaseEvents(caseNo: string) {
  return useQuery({
    queryKey: keys.events(caseNo),
    queryFn: async () => ok(await api.GET('/api/cases/{caseNo}/events', { params: { path: { caseNo } } })),
    refetchInterval: pollInterval(POLL_MS),
  });
}

/** Rows per page of the long work lists: enough to fill a screen, small enough to arrive at once. */
export const PAGE_SIZE = 50;

/**
 * A department's 待办 or 已办 page by page from the server's cursors, so a 10,000-task inbox costs
 * one page to open; further pages on request. Live updates and polling refetch the loaded pages.
 */
export function useTaskPages(state: 'pending' | 'done') {
  return useInfiniteQuery({
    queryKey: keys.tasks(state),
    queryFn: async ({ pageParam }) =>
      asPage(ok(await api.GET('/api/tasks', { params: { query: { state, cursor: pageParam, limit: PAGE_SIZE } } }))),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: pollInterval(POLL_MS),
  });
}

export function useMatters() {
  return useQuery({
    queryKey: keys.matters,
    queryFn: async () => ok(await api.GET('/api/matters')),
    staleTime: 60_000,
  });
}

export function useDepartments() {
  return useQuery({
    queryKey: keys.departments,
    queryFn: async () => ok(await api.GET('/api/departments')),
    staleTime: 60_000,
  });
}

/** Department code → its name from the catalog (the code itself while loading or unknown). */
export function useDeptName(): (code: string | null | undefined) => string {
  const { data } = useDepartments();
  return (code) => {
    if (!code) return '';
    return data?.find((d) => d.code === code)?.name ?? code;
  };
}
