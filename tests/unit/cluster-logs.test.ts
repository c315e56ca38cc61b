import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loggedErrors } from '../../scripts/cluster-logs';

describe("a failed cluster run names the errors its processes logged (the failed: list's cause of a 500)", () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it("the API instances' pino errors and the workers' [ERROR] lines, each once, warnings left out", () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cluster-logs-'));
    const failed = JSON.stringify({ level: 50, msg: 'request failed', err: { message: 'Workflow Update failed' } });
    writeFileSync(
      path.join(dir, 'api-2.log'),
      [JSON.stringify({ level: 40, msg: 'service unavailable' }), failed, failed, 'not json'].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'worker-1.log'),
      '2026-12-02T00:12:06.051Z [WARN] adopted {\n2026-12-02T00:12:07.000Z [ERROR] activity failed {\n',
    );
    writeFileSync(path.join(dir, 'temporal-server.log'), '[ERROR] not ours\n');
    expect(loggedErrors(dir)).toEqual(['api-2: request failed: Workflow Update failed', 'worker-1: activity failed']);
  });

  it('nothing kept, nothing said', () => {
    expect(loggedErrors(path.join(os.tmpdir(), 'no-such-cluster-logs'))).toEqual([]);
  });
});
