import { HttpProblem } from './problem';

/**
 * Opaque keyset cursors for the console's long lists. A cursor carries the sort key of the last row
 * of a page, tagged with the list (and the order) it belongs to, so the next page is "rows after
 * this key": stable while rows come and go, and an index range rather than an OFFSET. Clients treat
 * it as a string; one not given by this API for this list is a 400 `invalid_cursor`.
 */
export type CursorKey = (string | number)[];

/** What each list's key holds, in order: `t` an instant (epoch ms), `s` a text, `i` an integer. */
export type KeyShape = readonly ('t' | 's' | 'i')[];

export function encodeCursor(list: string, key: CursorKey): string {
  return Buffer.from(JSON.stringify([list, ...key]), 'utf8').toString('base64url');
}

export const invalidCursor = () =>
  new HttpProblem(400, 'invalid_cursor', 'the cursor is not one this API gave for this list; start again without it');

/** The key a cursor carries, checked against the list's shape; an empty cursor means the first page. */
export function decodeCursor(list: string, shape: KeyShape, cursor: string): CursorKey | undefined {
  if (cursor === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== shape.length + 1 || parsed[0] !== list) throw invalidCursor();
  const key = parsed.slice(1) as unknown[];
  const fits = shape.every((kind, i) => {
    const v = key[i];
    if (kind === 's') return typeof v === 'string' && v.length > 0 && v.length <= 200;
    if (kind === 'i') return Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 2_147_483_647;
    // An instant PostgreSQL can hold (years 1970..9999).
    return Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) < 253_402_300_800_000;
  });
  if (!fits) throw invalidCursor();
  return key as CursorKey;
}

/** A page of `limit` from `limit + 1` rows read: the rows to send and the cursor to the next page. */
export function pageOf<R>(list: string, rows: R[], limit: number, keyOf: (row: R) => CursorKey) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(list, keyOf(last)) : null };
}
