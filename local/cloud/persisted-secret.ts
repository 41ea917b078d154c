/** The dev-token secret: new each start, or kept in the --persist folder so tokens outlive a restart. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newSecret } from './dev-token.js';

const FILE = 'roomcast-dev-secret';

export function devSecret(persistDir: string | undefined): string {
  if (!persistDir) return newSecret();
  const file = join(persistDir, FILE);
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length >= 32) return kept;
  }
  const secret = newSecret();
  mkdirSync(persistDir, { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
