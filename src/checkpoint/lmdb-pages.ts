/**
 * Walks the page trees of an LMDB data file's newest commit without mapping it, to tell a file
 * that was cut short from one that merely ends early. LMDB's comment on mm_last_pg: "the file
 * may be shorter if the freeDB lists the final pages" (a page a transaction allocated and freed
 * again is never written). So the last page says nothing for sure; what must lie inside the file
 * is every page the commit can reach — the trees' branch and leaf pages and the values' overflow
 * pages — and each must be the page it claims to be. Pure: pages in, a problem or none out
 * (store-file-check.ts reads the pages).
 *
 *   page:  u64 pgno │ u64 txnid │ u16 pad │ u16 flags │ u16 lower │ u16 upper │ u16 ptrs[lower/2]
 *          (overflow: u32 pages in place of lower/upper)
 *   node:  u16 lo │ u16 hi │ u16 flags │ u16 key size │ key │ data
 *          branch: child = lo | hi << 16 | flags << 32; leaf: data size = lo | hi << 16,
 *          F_BIGDATA: data is the u64 number of its first overflow page,
 *          F_SUBDATA: data is a database record (48 bytes, root at byte 40)
 * Node offsets count from the end of the 24-byte header (lmdb-js's LMDB: PAGEBASE = PAGEHDRSZ).
 */
const headerBytes = 24;
const branchFlag = 0x01;
const leafFlag = 0x02;
const overflowFlag = 0x04;
const bigDataFlag = 0x01;
const subDataFlag = 0x02;
const databaseRecordBytes = 48;
const emptyRoot = 0xffff_ffff_ffff_ffffn;
/** Deeper than any tree of a file LMDB can address: a cycle in garbage ends here. */
const depthMax = 64;

/** A page of the file, or undefined when the file ends before it. */
export type ReadPage = (pageNumber: number) => Uint8Array | undefined;

/** What is wrong with the trees under `roots`, or undefined when every reachable page is sound. */
export function reachablePagesProblem(
  readPage: ReadPage,
  roots: readonly (number | undefined)[],
): string | undefined {
  const visited = new Set<number>();
  const walk = (pageNumber: number, depth: number): string | undefined => {
    if (depth > depthMax) return `its trees are deeper than ${depthMax} pages (a cycle)`;
    if (visited.has(pageNumber)) return `page ${pageNumber} is reached twice`;
    visited.add(pageNumber);
    const page = readPage(pageNumber);
    if (page === undefined) return `page ${pageNumber}, in use, lies past the end of the file`;
    const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
    if (view.getBigUint64(0, true) !== BigInt(pageNumber)) {
      return `page ${pageNumber} names itself page ${view.getBigUint64(0, true)}`;
    }
    const flags = view.getUint16(18, true);
    if ((flags & (branchFlag | leafFlag)) === 0) {
      return `page ${pageNumber} is in a tree but is no branch or leaf page (flags 0x${flags.toString(16)})`;
    }
    const count = view.getUint16(20, true) >> 1;
    if (headerBytes + 2 * count > page.byteLength)
      return `page ${pageNumber} has impossible bounds`;
    for (let i = 0; i < count; i++) {
      const node = headerBytes + view.getUint16(headerBytes + 2 * i, true);
      if (node + 8 > page.byteLength) return `page ${pageNumber} points outside itself`;
      const lo = view.getUint16(node, true);
      const hi = view.getUint16(node + 2, true);
      const nodeFlags = view.getUint16(node + 4, true);
      const data = node + 8 + view.getUint16(node + 6, true);
      const problem =
        flags & branchFlag
          ? walk(lo + hi * 0x1_0000 + nodeFlags * 0x1_0000_0000, depth + 1)
          : leafProblem(readPage, view, data, nodeFlags, (root) => walk(root, 0), visited);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
  for (const root of roots) {
    if (root === undefined) continue;
    const problem = walk(root, 0);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** A leaf node's overflow pages, or the tree of the named database it records. */
function leafProblem(
  readPage: ReadPage,
  page: DataView,
  data: number,
  nodeFlags: number,
  walkTree: (root: number) => string | undefined,
  visited: Set<number>,
): string | undefined {
  if (nodeFlags & bigDataFlag) {
    if (data + 8 > page.byteLength) return 'a leaf points outside its page';
    const first = Number(page.getBigUint64(data, true));
    if (visited.has(first)) return `overflow page ${first} is reached twice`;
    visited.add(first);
    const overflow = readPage(first);
    if (overflow === undefined)
      return `overflow page ${first}, in use, lies past the end of the file`;
    const view = new DataView(overflow.buffer, overflow.byteOffset, overflow.byteLength);
    if (
      view.getBigUint64(0, true) !== BigInt(first) ||
      (view.getUint16(18, true) & overflowFlag) === 0
    ) {
      return `page ${first} should be a value's overflow page and is not`;
    }
    const last = first + view.getUint32(20, true) - 1;
    if (readPage(last) === undefined)
      return `overflow page ${last}, in use, lies past the end of the file`;
    return undefined;
  }
  if (nodeFlags & subDataFlag) {
    if (data + databaseRecordBytes > page.byteLength) return 'a leaf points outside its page';
    const root = page.getBigUint64(data + 40, true);
    return root === emptyRoot ? undefined : walkTree(Number(root));
  }
  return undefined;
}
