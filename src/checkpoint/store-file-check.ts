import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { DataDamagedError } from './data-damage.ts';
import { judgeDataFile, type MetaPage, metaPageBytes, parseMetaPage } from './lmdb-meta.ts';

/** lmdb-js's page size when page 0 cannot tell (stockd never sets another). */
const defaultPageSize = 4096;

/**
 * Checks an existing LMDB data file before anything maps it (lmdb-meta.ts says what and why).
 * Reads the meta pages first and the size last: the file only grows, and a meta page is written
 * after the pages it names, so a server committing meanwhile (`stockd inspect` reads a live
 * directory) can never make a sound file look cut short.
 */
export function checkStoreFile(file: string): MetaPage {
  const fd = openSync(file, 'r');
  try {
    const page0 = readAt(fd, 0);
    const meta0 = parseMetaPage(page0);
    const page1 = readAt(fd, typeof meta0 === 'string' ? defaultPageSize : meta0.pageSize);
    const verdict = judgeDataFile({ fileBytes: fstatSync(fd).size, page0, page1 });
    if (verdict.newest === undefined) {
      throw new DataDamagedError(`${file}: ${verdict.problems.join('; ')}`);
    }
    return verdict.newest;
  } finally {
    closeSync(fd);
  }
}

/** Whether the file exists (a directory or other non-file in its place is damage too). */
export function storeFileExists(file: string): boolean {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (stat === undefined) return false;
  if (!stat.isFile()) throw new DataDamagedError(`${file}: it is not a regular file`);
  return true;
}

function readAt(fd: number, position: number): Uint8Array {
  const bytes = new Uint8Array(metaPageBytes);
  const read = readSync(fd, bytes, 0, metaPageBytes, position);
  return bytes.subarray(0, read);
}
