import { randomUUID } from 'node:crypto';
import type { DbOrTrx } from '../index';
import type { SavedViewTable } from '../schema';
import type { Selectable } from 'kysely';

export type Screen = 'cases' | 'supervision';
export interface SavedViewInput {
  screen: Screen;
  name: string;
  filters: Record<string, unknown>;
}

/** Views one person may keep per screen. */
export const MAX_VIEWS_PER_SCREEN = 50;

export type SavedViewRow = Selectable<SavedViewTable>;

export async function listSavedViews(db: DbOrTrx, owner: string, screen?: Screen): Promise<SavedViewRow[]> {
  let q = db.selectFrom('saved_views').selectAll().where('owner_sub', '=', owner);
  if (screen) q = q.where('screen', '=', screen);
  return q.orderBy('screen').orderBy('name').execute();
}

export async function countSavedViews(db: DbOrTrx, owner: string, screen: Screen): Promise<number> {
  const row = await db
    .selectFrom('saved_views')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('owner_sub', '=', owner)
    .where('screen', '=', screen)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Inserts a view; undefined when the owner already has one of that name on that screen. */
export async function createSavedView(
  db: DbOrTrx,
  owner: string,
  input: SavedViewInput,
): Promise<SavedViewRow | undefined> {
  return db
    .insertInto('saved_views')
    .values({
      id: randomUUID(),
      owner_sub: owner,
      screen: input.screen,
      name: input.name,
      filters: JSON.stringify(input.filters),
    })
    .onConflict((oc) => oc.columns(['owner_sub', 'screen', 'name']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function getSavedView(db: DbOrTrx, owner: string, id: string): Promise<SavedViewRow | undefined> {
  return db
    .selectFrom('saved_views')
    .selectAll()
    .where('id', '=', id)
    .where('owner_sub', '=', owner)
    .executeTakeFirst();
}

export async function nameTaken(db: DbOrTrx, owner: string, screen: Screen, name: string, exceptId?: string) {
  let q = db
    .selectFrom('saved_views')
    .select('id')
    .where('owner_sub', '=', owner)
    .where('screen', '=', screen)
    .where('name', '=', name);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function replaceSavedView(db: DbOrTrx, owner: string, id: string, input: SavedViewInput) {
  return db
    .updateTable('saved_views')
    .set({ screen: input.screen, name: input.name, filters: JSON.stringify(input.filters), updated_at: new Date() })
    .where('id', '=', id)
    .where('owner_sub', '=', owner)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteSavedView(db: DbOrTrx, owner: string, id: string): Promise<boolean> {
  const res = await db.deleteFrom('saved_views').where('id', '=', id).where('owner_sub', '=', owner).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
