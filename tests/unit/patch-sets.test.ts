import { describe, expect, it } from 'vitest';
import { CURRENT_PATCH_SET, PATCH_SETS, PATCHES, patchSetKnownTo, workerBuildId } from '../../workflows/patches';

describe('patch sets a case takes from its start (workflows/patches.ts)', () => {
  it('our build ids name the newest set they know; other builds know none', () => {
    expect(workerBuildId('0123456789abcdef')).toBe(`ja${CURRENT_PATCH_SET}-0123456789abcdef`);
    expect(patchSetKnownTo(workerBuildId('0123456789abcdef'))).toBe(CURRENT_PATCH_SET);
    expect(patchSetKnownTo('ja7-ffff')).toBe(7);
    // The SDK's default build id (workers before patch sets), an empty one, none at all.
    expect(patchSetKnownTo(`@temporalio/worker@1.24.0+${'a'.repeat(64)}`)).toBe(0);
    expect(patchSetKnownTo('')).toBe(0);
    expect(patchSetKnownTo(undefined)).toBe(0);
  });

  it('every set up to the current one exists and names only known case-workflow patches', () => {
    const known = new Set<string>(Object.values(PATCHES));
    for (let n = 1; n <= CURRENT_PATCH_SET; n++) {
      expect(PATCH_SETS[n]?.length).toBeGreaterThan(0);
      for (const id of PATCH_SETS[n]!) expect(known.has(id), id).toBe(true);
    }
    // Append-only: each set holds the one before it. The republication workflow's patch is not the case workflow's.
    for (let n = 2; n <= CURRENT_PATCH_SET; n++)
      expect(PATCH_SETS[n]).toEqual(expect.arrayContaining([...PATCH_SETS[n - 1]!]));
    expect(PATCH_SETS[CURRENT_PATCH_SET]).not.toContain(PATCHES.republicationSignalByActivity);
  });
});
