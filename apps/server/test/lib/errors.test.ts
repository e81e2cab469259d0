import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_DOCS, HTTP_ERRORS, SERVER_ERRORS, WS_ERRORS } from '../../src/lib/errors.ts';

describe('error codes', () => {
  it('are each documented where ERROR_DOCS says', () => {
    const codes = [
      ...Object.keys(WS_ERRORS),
      ...Object.keys(HTTP_ERRORS),
      ...Object.keys(SERVER_ERRORS),
    ] as (keyof typeof ERROR_DOCS)[];
    expect(Object.keys(ERROR_DOCS).sort()).toEqual([...codes].sort());
    for (const code of codes) {
      const doc = readFileSync(
        fileURLToPath(new URL(`../../../../${ERROR_DOCS[code]}`, import.meta.url)),
        'utf8',
      );
      expect(doc, `${ERROR_DOCS[code]} does not mention ${code}`).toContain(code);
    }
  });
});
