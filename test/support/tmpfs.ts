import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real, small filesystem of its own: a disk that fills up for real. */
export interface Tmpfs {
  readonly path: string;
  /** Bytes an unprivileged process may still write (statfs bavail). */
  freeBytes(): number;
  /** Writes a filler file until at most `leaveBytes` are free (an ENOSPC ends it early). */
  fill(name: string, leaveBytes: number): void;
  unmount(): void;
}

/**
 * Mounts a tmpfs of `sizeBytes` on a fresh directory, or says why it cannot (not root, no mount
 * permission in this container): the caller skips with that reason.
 */
export function mountTmpfs(prefix: string, sizeBytes: number): Tmpfs | string {
  const path = mkdtempSync(join(tmpdir(), `stockd-${prefix}-`));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', path], {
      stdio: 'pipe',
    });
  } catch (error) {
    rmSync(path, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return `cannot mount a tmpfs (${stderr || (error as Error).message})`;
  }
  const freeBytes = () => {
    const stats = statfsSync(path);
    return stats.bsize * stats.bavail;
  };
  return {
    path,
    freeBytes,
    fill(name, leaveBytes) {
      const fd = openSync(join(path, name), 'a');
      const block = Buffer.alloc(64 * 1_024, 1);
      try {
        for (let free = freeBytes(); free > leaveBytes; free = freeBytes()) {
          writeSync(fd, block, 0, Math.min(block.length, free - leaveBytes));
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
    },
    unmount() {
      execFileSync('umount', ['-l', path], { stdio: 'pipe' });
      rmSync(path, { recursive: true, force: true });
    },
  };
}
