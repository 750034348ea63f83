import { describe, expect, it } from 'vitest';
import { reachablePagesProblem } from '../../src/checkpoint/lmdb-pages.ts';

const pageSize = 512;

interface NodeSpec {
  readonly kind: 'child' | 'overflow' | 'database' | 'inline';
  readonly page: number;
}

/** A branch or leaf page laid out as lmdb-js's LMDB writes it (layout in lmdb-pages.ts). */
function treePage(pageNumber: number, flags: number, nodes: readonly NodeSpec[]): Uint8Array {
  const page = new Uint8Array(pageSize);
  const view = new DataView(page.buffer);
  view.setBigUint64(0, BigInt(pageNumber), true);
  view.setUint16(18, flags, true);
  view.setUint16(20, nodes.length * 2, true);
  let offset = 2 * nodes.length + 16; // from the end of the header
  nodes.forEach((node, i) => {
    view.setUint16(24 + 2 * i, offset, true);
    const at = 24 + offset;
    view.setUint16(at + 6, 1, true); // a 1-byte key
    const data = at + 9;
    if (node.kind === 'child') {
      view.setUint16(at, node.page & 0xffff, true);
      view.setUint16(at + 2, node.page >>> 16, true);
    } else if (node.kind === 'overflow') {
      view.setUint16(at + 4, 0x01, true);
      view.setBigUint64(data, BigInt(node.page), true);
    } else if (node.kind === 'database') {
      view.setUint16(at + 4, 0x02, true);
      view.setBigUint64(data + 40, BigInt(node.page), true);
    }
    offset += 9 + 48;
  });
  return page;
}

function overflowPage(pageNumber: number, pages: number): Uint8Array {
  const page = new Uint8Array(pageSize);
  const view = new DataView(page.buffer);
  view.setBigUint64(0, BigInt(pageNumber), true);
  view.setUint16(18, 0x04, true);
  view.setUint32(20, pages, true);
  return page;
}

const branch = 0x01;
const leaf = 0x02;

/** A main tree (root 2: a leaf naming database "log" at 3), log = branch 3 → leaves 4 and 5. */
function file(): Map<number, Uint8Array> {
  return new Map([
    [2, treePage(2, leaf, [{ kind: 'database', page: 3 }])],
    [
      3,
      treePage(3, branch, [
        { kind: 'child', page: 4 },
        { kind: 'child', page: 5 },
      ]),
    ],
    [
      4,
      treePage(4, leaf, [
        { kind: 'overflow', page: 6 },
        { kind: 'inline', page: 0 },
      ]),
    ],
    [5, treePage(5, leaf, [{ kind: 'overflow', page: 8 }])],
    [6, overflowPage(6, 2)],
    [7, new Uint8Array(pageSize)],
    [8, overflowPage(8, 1)],
  ]);
}

const reader = (pages: Map<number, Uint8Array>, filePages: number) => (n: number) =>
  n < filePages ? (pages.get(n) ?? new Uint8Array(pageSize)) : undefined;

describe("an LMDB commit's reachable pages", () => {
  it('are sound when every tree page and overflow run lies inside the file', () => {
    expect(reachablePagesProblem(reader(file(), 9), [2, undefined])).toBeUndefined();
  });

  it('may end before the last page when what lies past the end is free', () => {
    // Pages 9… are free in this commit: a sound file may stop before them.
    expect(reachablePagesProblem(reader(file(), 9), [2])).toBeUndefined();
  });

  it.each([
    ['an overflow page past the end', 8, 'overflow page 8, in use, lies past the end'],
    ['the last page of an overflow run past the end', 7, 'overflow page 7, in use, lies past'],
  ])('are cut short with %s', (_name, filePages, problem) => {
    expect(reachablePagesProblem(reader(file(), filePages), [2])).toContain(problem);
  });

  it('are cut short with a tree page past the end', () => {
    const pages = file();
    pages.set(4, treePage(4, leaf, [{ kind: 'inline', page: 0 }]));
    expect(reachablePagesProblem(reader(pages, 5), [2])).toBe(
      'page 5, in use, lies past the end of the file',
    );
  });

  it('are damaged when a page is not the page it should be', () => {
    const pages = file();
    pages.set(4, treePage(9, leaf, []));
    expect(reachablePagesProblem(reader(pages, 9), [2])).toBe('page 4 names itself page 9');
    pages.set(4, new Uint8Array(pageSize));
    expect(reachablePagesProblem(reader(pages, 9), [2])).toBe('page 4 names itself page 0');
    pages.set(4, overflowPage(4, 1));
    expect(reachablePagesProblem(reader(pages, 9), [2])).toContain('no branch or leaf page');
  });

  it('stop at a cycle in garbage', () => {
    const pages = file();
    pages.set(5, treePage(5, branch, [{ kind: 'child', page: 3 }]));
    expect(reachablePagesProblem(reader(pages, 9), [2])).toBe('page 3 is reached twice');
  });
});
