import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The domain is the determinism boundary: it imports only itself and touches no clock, no
 * randomness, no environment and no I/O. This test keeps it that way.
 */
const domainDir = join(import.meta.dirname, '../../src/domain');
const forbidden = [
  /\bDate\.now\b/,
  /\bnew Date\b/,
  /\bMath\.random\b/,
  /\bperformance\b/,
  /\bprocess\./,
  /\bawait\b/,
  /\bsetTimeout\b|\bsetInterval\b|\bsetImmediate\b/,
  /\bcrypto\b/,
];

describe('src/domain stays pure', () => {
  const files = readdirSync(domainDir).filter((file) => file.endsWith('.ts'));

  it.each(files)('%s imports only domain modules', (file) => {
    const source = readFileSync(join(domainDir, file), 'utf8');
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
    for (const specifier of imports) expect(specifier).toMatch(/^\.\/[a-z-]+\.ts$/);
  });

  it.each(files)('%s has no clock, randomness, environment or I/O', (file) => {
    const source = readFileSync(join(domainDir, file), 'utf8');
    for (const pattern of forbidden) expect(source).not.toMatch(pattern);
  });
});
