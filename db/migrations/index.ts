import type { Migration } from 'kysely';
import * as initial from './2026-11-23T1200_initial';

/**
 * Every migration, by its timestamped name, imported statically so that the same list works from
 * TypeScript sources, the compiled image and the test runner alike. Add new ones at the end.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '2026-11-23T1200_initial': initial,
};
