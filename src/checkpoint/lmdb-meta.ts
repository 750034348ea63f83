/**
 * The two meta pages at the start of an LMDB data file, as lmdb-js 3.5 (its LMDB 0.9 fork,
 * `dependencies/lmdb/libraries/liblmdb/mdb.c`, 64-bit build) writes them, read without mapping
 * the file: mapping a damaged or truncated file makes the first access fault (SIGSEGV, SIGBUS)
 * where nothing can catch it. Pure: bytes in, facts or problems out (store-file-check.ts reads
 * the bytes).
 *
 *   page header (24 bytes):  u64 pgno │ u64 txnid │ u16 pad │ u16 flags (P_META 0x08) │ u32
 *   meta (at byte 24):       u32 magic 0xBEEFC0DE │ u32 version (2) │ u64 address │ u64 mapsize │
 *                            db free │ db main │ u64 last page │ u64 txnid │ i64 boot id
 *   db (48 bytes):           u32 pad (free db's: the page size) │ u16 flags │ u16 depth │
 *                            u64 branch pages │ u64 leaf pages │ u64 overflow pages │
 *                            u64 entries │ u64 root page (all ones: empty)
 *
 * Page 0 is at byte 0 and page 1 at byte <page size>. LMDB commits by writing the meta page of
 * the transaction's parity, and opens with the one of the higher txnid.
 */
export const lmdbMagic = 0xbeefc0de;
/** MDB_DATA_VERSION of lmdb-js 3.5's LMDB. */
export const lmdbDataVersion = 2;
const pageHeaderBytes = 24;
const metaFlag = 0x08;
const dbBytes = 48;
const freeDbOffset = pageHeaderBytes + 24;
const mainDbOffset = freeDbOffset + dbBytes;
const lastPageOffset = mainDbOffset + dbBytes;
const txnIdOffset = lastPageOffset + 8;
/** Bytes of a meta page that are read: everything up to the boot id. */
export const metaPageBytes = txnIdOffset + 8;
const emptyRoot = 0xffff_ffff_ffff_ffffn;

export interface MetaPage {
  readonly pageSize: number;
  readonly lastPage: number;
  readonly txnId: number;
  /** Root pages of the free-page and main databases (undefined: empty). */
  readonly roots: readonly (number | undefined)[];
}

/** A meta page, or what is wrong with it. `bytes` holds at least `metaPageBytes` of the page. */
export function parseMetaPage(bytes: Uint8Array): MetaPage | string {
  if (bytes.byteLength < metaPageBytes) return 'it is cut short';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if ((view.getUint16(18, true) & metaFlag) === 0) return 'it is not marked as a meta page';
  const magic = view.getUint32(pageHeaderBytes, true);
  if (magic !== lmdbMagic) return `its magic number is 0x${magic.toString(16)}, not 0xbeefc0de`;
  const version = view.getUint32(pageHeaderBytes + 4, true) & 0xffff;
  if (version !== lmdbDataVersion) {
    return `its format version is ${version}; this stockd reads version ${lmdbDataVersion}`;
  }
  const pageSize = view.getUint32(freeDbOffset, true);
  if (pageSize < 512 || pageSize > 65_536 || (pageSize & (pageSize - 1)) !== 0) {
    return `its page size ${pageSize} is not a power of two from 512 to 65536`;
  }
  const lastPage = view.getBigUint64(lastPageOffset, true);
  const txnId = view.getBigUint64(txnIdOffset, true);
  if (lastPage < 1n || lastPage > BigInt(Number.MAX_SAFE_INTEGER)) {
    return `its last page number ${lastPage} is impossible`;
  }
  if (txnId > BigInt(Number.MAX_SAFE_INTEGER)) return `its transaction id ${txnId} is impossible`;
  const roots: (number | undefined)[] = [];
  for (const offset of [freeDbOffset, mainDbOffset]) {
    const root = view.getBigUint64(offset + dbBytes - 8, true);
    if (root === emptyRoot) {
      roots.push(undefined);
      continue;
    }
    if (root < 2n || root > lastPage) {
      return `a database root (page ${root}) is not between page 2 and its last page ${lastPage}`;
    }
    roots.push(Number(root));
  }
  return { pageSize, lastPage: Number(lastPage), txnId: Number(txnId), roots };
}

export interface DataFileFacts {
  readonly fileBytes: number;
  /** The first `metaPageBytes` of page 0 and of page 1, if the file holds them. */
  readonly page0: Uint8Array;
  /** Read at the page size page 0 names (or the default when page 0 is unreadable). */
  readonly page1: Uint8Array;
}

export interface DataFileVerdict {
  /** What makes the file unusable; empty when LMDB can open it safely. */
  readonly problems: readonly string[];
  /** The meta page LMDB will open with, when there is no problem. */
  readonly newest?: MetaPage;
}

/**
 * Whether LMDB can map this file without faulting, and would open the newest commit:
 *
 * - the file holds at least its two meta pages and a whole number of pages;
 * - both meta pages are valid. LMDB itself refuses a damaged page 0, but it picks page 1 by its
 *   txnid field alone, valid or not. stockd refuses either: a damaged meta page is never a crash's
 *   doing (LMDB writes a meta page only after the data it names is on disk, and never rewrites
 *   its magic or version), and if the damaged page held the newest commit, opening the other one
 *   would silently drop that commit's acknowledged decisions;
 * - the newest commit's roots lie inside the file. Its last page need not: LMDB's comment on
 *   mm_last_pg says a sound file may end before it when the freelist lists the final pages (a
 *   page a transaction allocated and freed again is never written; mdb_page_flush skips loose
 *   pages), and refusing such a file would lock a sound store out for good. Whether a file that
 *   ends early was cut short is told by walking its trees (lmdb-pages.ts): every page the commit
 *   can reach must lie inside the file.
 */
export function judgeDataFile(facts: DataFileFacts): DataFileVerdict {
  const { fileBytes } = facts;
  if (fileBytes === 0) return { problems: ['the file is empty (0 bytes)'] };
  const meta0 = parseMetaPage(facts.page0);
  const meta1 = parseMetaPage(facts.page1);
  const problems: string[] = [];
  if (typeof meta0 === 'string') problems.push(`meta page 0 is damaged: ${meta0}`);
  if (typeof meta1 === 'string') problems.push(`meta page 1 is damaged: ${meta1}`);
  const valid = [meta0, meta1].find((meta) => typeof meta !== 'string');
  const size = valid?.pageSize;
  if (size !== undefined) {
    if (fileBytes < 2 * size) {
      problems.unshift(`the file is ${fileBytes} bytes, shorter than its two meta pages`);
    } else if (fileBytes % size !== 0) {
      problems.unshift(`the file is ${fileBytes} bytes, not a whole number of ${size}-byte pages`);
    }
  }
  if (typeof meta0 === 'string' || typeof meta1 === 'string') return { problems };
  if (meta0.pageSize !== meta1.pageSize) {
    problems.push(
      `its meta pages disagree on the page size (${meta0.pageSize}, ${meta1.pageSize})`,
    );
  }
  const newest = meta1.txnId > meta0.txnId ? meta1 : meta0;
  const filePages = Math.floor(fileBytes / newest.pageSize);
  const rootOutside = newest.roots.find((root) => root !== undefined && root >= filePages);
  if (rootOutside !== undefined) {
    problems.push(
      `it is cut short: its newest commit (transaction ${newest.txnId}) has its root in page ${rootOutside}, the file holds pages 0 to ${filePages - 1}`,
    );
  }
  return problems.length === 0 ? { problems, newest } : { problems };
}
