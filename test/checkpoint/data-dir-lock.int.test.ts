import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirError, prepareDataDir, requireStore } from '../../src/checkpoint/data-dir.ts';
import { lockDataDir, readDataDirOwner } from '../../src/checkpoint/data-dir-lock.ts';
import { tempDir } from '../support/temp-dir.ts';

const holderScript = new URL('../fixtures/lock-holder.ts', import.meta.url).pathname;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function scratch(): string {
  const dir = tempDir('lock');
  cleanups.push(dir.remove);
  return dir.path;
}

interface Holder {
  readonly child: ChildProcess;
  /** `locked`, or `refused <message>`. */
  readonly answer: Promise<string>;
}

function startHolder(dataDir: string, startAtMs = 0): Holder {
  const child = spawn(process.execPath, [holderScript, dataDir, String(startAtMs)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  cleanups.push(() => child.kill('SIGKILL'));
  const answer = new Promise<string>((resolve) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
  });
  return { child, answer };
}

function problemOf(action: () => void): DataDirError['problem'] | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof DataDirError) return error.problem;
    throw error;
  }
  return undefined;
}

describe('the data-directory lock', () => {
  it('creates a missing data directory, parents included, and records who holds it', () => {
    const dataDir = join(scratch(), 'a', 'b', 'data');
    const lock = lockDataDir(dataDir);
    expect(readDataDirOwner(dataDir)).toMatchObject({ pid: process.pid, hostname: hostname() });
    lock.release();
    expect(readDataDirOwner(dataDir)).toBeUndefined();
  });

  it('refuses a second holder, naming the directory and what holds it, until released', () => {
    const dataDir = scratch();
    const lock = lockDataDir(dataDir);
    expect(() => lockDataDir(dataDir)).toThrow(
      new RegExp(
        `^the data directory ${dataDir} is in use by another stockd process \\(pid ${process.pid} on host `,
      ),
    );
    expect(problemOf(() => lockDataDir(dataDir))).toBe('locked');
    lock.release();
    lockDataDir(dataDir).release();
  });

  it('is refused to another process while held, and free once its holder is SIGKILLed', async () => {
    const dataDir = scratch();
    const holder = startHolder(dataDir);
    expect(await holder.answer).toBe('locked');
    const second = startHolder(dataDir);
    expect(await second.answer).toMatch(
      /^refused the data directory .* is in use by another stockd/,
    );
    expect(problemOf(() => lockDataDir(dataDir))).toBe('locked');

    holder.child.kill('SIGKILL');
    await once(holder.child, 'exit');
    // What the dead holder recorded is still there, and names a live process: this one. A lock
    // inferred from process ids would refuse; the kernel released the file lock with its holder.
    writeFileSync(
      join(dataDir, 'stockd.owner.json'),
      JSON.stringify({ pid: process.pid, hostname: hostname(), startedAt: 'earlier' }),
    );
    lockDataDir(dataDir).release();
  });

  it('goes to exactly one of several processes racing for it', async () => {
    for (let round = 0; round < 3; round++) {
      const dataDir = scratch();
      // Every racer spins until the same instant, then tries.
      const startAtMs = Date.now() + 2_500;
      const racers = Array.from({ length: 5 }, () => startHolder(dataDir, startAtMs));
      const answers = await Promise.all(racers.map((racer) => racer.answer));
      expect(answers.filter((answer) => answer === 'locked')).toHaveLength(1);
      expect(answers.filter((answer) => answer.includes('is in use by'))).toHaveLength(4);
      for (const racer of racers) racer.child.kill('SIGKILL');
    }
  });
});

describe('a data directory', () => {
  it.each([
    ['a file', (dir: string) => writeFileSync(join(dir, 'data'), 'x'), 'data', 'not-a-directory'],
    [
      'under a file',
      (dir: string) => writeFileSync(join(dir, 'file'), 'x'),
      'file/data',
      'not-a-directory',
    ],
    ['missing', () => {}, 'data', undefined],
    ['existing', (dir: string) => mkdirSync(join(dir, 'data')), 'data', undefined],
  ] as const)('%s is prepared or refused', (_, setUp, path, problem) => {
    const dir = scratch();
    setUp(dir);
    expect(problemOf(() => prepareDataDir(join(dir, path)))).toBe(problem);
  });

  it('is never created by a reader that needs a store in it', () => {
    const dir = scratch();
    expect(problemOf(() => requireStore(join(dir, 'data')))).toBe('missing');
    expect(existsSync(join(dir, 'data'))).toBe(false);
    expect(problemOf(() => requireStore(dir))).toBe('missing');
  });
});
