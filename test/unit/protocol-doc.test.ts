import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '@roomcast/core';

describe('docs/protocol.md', () => {
  const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');

  it('lists every error code with its status and retryable flag, and no other', () => {
    const rows = [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d+) \| (yes|no) \|/gm)].map(([, code, status, retryable]) => ({ code, status: Number(status), retryable: retryable === 'yes' }));
    expect(rows).toEqual(Object.entries(ERRORS).map(([code, spec]) => ({ code, status: spec.status, retryable: spec.retryable })));
  });
});
