import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { DataDamagedError } from './data-damage.ts';
import { judgeDataFile, type MetaPage, metaPageBytes, parseMetaPage } from './lmdb-meta.ts';
import { reachablePagesProblem } from './lmdb-pages.ts';

/** lmdb-js's page size when page 0 cannot tell (stockd never sets another). */
const defaultPageSize = 4096;

/**
 * Checks an existing LMDB data file before anything maps it (lmdb-meta.ts says what and why),
 * and walks the trees of its newest commit (lmdb-pages.ts): reading the branch and leaf pages
 * and each value's first overflow page, a few per thousand pages of the file.
 * Reads the meta pages first and the size last: the file only grows, and a meta page is written
 * after the pages it names, so a server committing meanwhile (`stockd inspect` reads a live
 * directory) can never make a sound file look cut short. Its later commits may reuse pages of
 * the walked one, though: a walk that finds a problem while the file has a newer commit is run
 * again on that one.
 */
export function checkStoreFile(file: string): MetaPage {
  for (let attempt = 1; ; attempt++) {
    try {
      return checkOnce(file);
    } catch (error) {
      const walked = error instanceof CommitMoved ? error : undefined;
      if (walked === undefined) throw error;
      if (attempt === walksMax) throw walked.damage;
    }
  }
}

const walksMax = 3;

/** A walk's problem, found while a newer commit replaced the walked one. */
class CommitMoved extends Error {
  readonly damage: DataDamagedError;

  constructor(damage: DataDamagedError) {
    super(damage.message);
    this.damage = damage;
  }
}

function checkOnce(file: string): MetaPage {
  const fd = openSync(file, 'r');
  try {
    const page0 = readAt(fd, 0);
    const meta0 = parseMetaPage(page0);
    const page1 = readAt(fd, typeof meta0 === 'string' ? defaultPageSize : meta0.pageSize);
    const fileBytes = fstatSync(fd).size;
    const verdict = judgeDataFile({ fileBytes, page0, page1 });
    if (verdict.newest === undefined) {
      throw new DataDamagedError(`${file}: ${verdict.problems.join('; ')}`);
    }
    const { newest } = verdict;
    // Every page the newest commit can reach: a file cut through them would fault when mapped.
    const filePages = Math.floor(fileBytes / newest.pageSize);
    const readPage = (pageNumber: number) => {
      if (pageNumber >= filePages) return undefined;
      const page = new Uint8Array(newest.pageSize);
      readSync(fd, page, 0, newest.pageSize, pageNumber * newest.pageSize);
      return page;
    };
    const problem = reachablePagesProblem(readPage, newest.roots);
    if (problem !== undefined) {
      const kind = problem.includes('past the end of the file')
        ? 'it is cut short'
        : 'a page is damaged';
      const damage = new DataDamagedError(`${file}: ${kind}: ${problem}`);
      const moved = [0, newest.pageSize].some((at) => {
        const meta = parseMetaPage(readAt(fd, at));
        return typeof meta !== 'string' && meta.txnId > newest.txnId;
      });
      throw moved ? new CommitMoved(damage) : damage;
    }
    return newest;
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
