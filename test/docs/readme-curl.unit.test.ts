import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
/** Each curl command line of the README, without its trailing shell comment. */
const curls = readme
  .split('\n')
  .filter((line) => /^curl /.test(line))
  .map((line) => line.replace(/\s+#.*$/, ''));

describe("README's curl commands", () => {
  it('turn globbing off wherever a URL holds [ ] or { } (curl would expand them and send nothing)', () => {
    expect(curls.length).toBeGreaterThan(0);
    const globbing = curls.filter((line) => {
      const url = /'([^']*)'|(\S*localhost\S*)/.exec(line.slice(5));
      const target = url?.[1] ?? url?.[2] ?? '';
      return /[[\]{}]/.test(target) && !/\s-[a-zA-Z]*g|--globoff/.test(line);
    });
    expect(globbing).toEqual([]);
  });
});
