import { Migrator } from 'kysely';
import type { Db } from './index';
import { MIGRATIONS } from './migrations';

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Runs every pending migration; throws (so callers exit non-zero) when one fails. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new MigrationError(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
