import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecentCommands } from '../../src/actors/recent-commands.ts';

describe('RecentCommands', () => {
  // A model of the window: the last `capacity` distinct ids, each with what it was first
  // remembered with. Thousands of commands through a small window also exercise compaction.
  it('remembers exactly the newest commandIds, each with its first seq and fingerprint', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.option(fc.nat())), {
          minLength: 1,
          maxLength: 6_000,
        }),
        (capacity, commands) => {
          const recent = new RecentCommands(capacity);
          const model = new Map<string, { seq: number; fingerprint: number | undefined }>();
          commands.forEach(([n, fingerprint], seq) => {
            const id = `command-${n}`;
            recent.remember(id, seq, fingerprint ?? undefined);
            if (capacity > 0 && !model.has(id)) {
              model.set(id, { seq, fingerprint: fingerprint ?? undefined });
              if (model.size > capacity) model.delete(model.keys().next().value!);
            }
          });
          for (let n = 0; n <= 60; n++) {
            expect(recent.find(`command-${n}`)).toEqual(model.get(`command-${n}`));
          }
          expect(recent.entries().map(([id]) => id)).toEqual([...model.keys()]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
