import type { DbOrTrx } from '../db';
import { existingDepartments } from '../db/repositories/catalog';

/**
 * Which department codes the catalog holds, for checking a token's `dept` on every request
 * without a query each time. Departments are never deleted, so a code once found stays known;
 * a code not found is asked again after `missTtlMs` (another API instance may have added it since).
 */
export class DepartmentDirectory {
  private readonly known = new Set<string>();
  private readonly misses = new Map<string, number>();

  constructor(
    private readonly db: DbOrTrx,
    private readonly missTtlMs = 5_000,
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  async has(code: string): Promise<boolean> {
    if (this.known.has(code)) return true;
    const missedAt = this.misses.get(code);
    if (missedAt !== undefined && this.now() - missedAt < this.missTtlMs) return false;
    const found = (await existingDepartments(this.db, [code])).has(code);
    if (found) this.learn(code);
    else {
      if (this.misses.size >= this.maxEntries) this.misses.clear();
      this.misses.set(code, this.now());
    }
    return found;
  }

  /** Called when this instance writes a department, so its tokens work at once. */
  learn(code: string): void {
    this.misses.delete(code);
    if (this.known.size < this.maxEntries) this.known.add(code);
  }
}
