/** The decoder runs in browsers too: no Node built-ins, no Buffer, no runtime dependencies. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('portability', () => {
  it('uses no Node built-ins or Buffer in src/', () => {
    const offenders = files(src).filter((f) => {
      const code = readFileSync(f, 'utf8');
      return /from ['"]node:|require\(|\bBuffer\b|\bprocess\./.test(code);
    });
    expect(offenders).toEqual([]);
  });

  it('has no runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({});
  });
});
