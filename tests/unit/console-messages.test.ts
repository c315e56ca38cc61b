import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROBLEM_MESSAGES, problemMessage } from '../../web/src/api/messages';

const ROOT = path.resolve(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? sources(file) : file.endsWith('.ts') ? [file] : [];
  });
}

/** Every stable `code` the API can answer with, read from where refusals are made. */
function emittedCodes(): Set<string> {
  const patterns = [
    /\b(?:conflict|invalid|forbidden|notFound)\(\s*'([a-z]+(?:_[a-z]+)+)'/g,
    /new (?:HttpProblem|DomainError)\(\s*\d+,\s*'([a-z]+(?:_[a-z]+)+)'/g,
    /requireStatus\([^;]*?\],\s*'([a-z]+(?:_[a-z]+)+)'/g,
    /\[\d{3}, '([a-z]+(?:_[a-z]+)+)'\]/g,
    /code: '([a-z]+(?:_[a-z]+)+)'/g,
  ];
  const codes = new Set<string>();
  for (const dir of ['domain', 'api', 'db', 'activities']) {
    for (const file of sources(path.join(ROOT, dir))) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of patterns) for (const m of text.matchAll(pattern)) codes.add(m[1]!);
    }
  }
  return codes;
}

describe('the console speaks every problem code in Chinese', () => {
  it('has a message for each code the API emits', () => {
    const codes = emittedCodes();
    expect(codes.size).toBeGreaterThan(30);
    expect([...codes].filter((c) => !PROBLEM_MESSAGES[c]).sort()).toEqual([]);
  });

  it('says fee_above_standard as the publicised-standard sentence, and falls back by status', () => {
    expect(problemMessage('fee_above_standard', 422)).toMatch(/^收费超出公示标准/);
    expect(problemMessage('some_new_code', 409)).toBe('办件当前状态不允许此操作，请刷新后查看。');
    expect(problemMessage(undefined, 503)).toMatch(/系统/);
  });
});
