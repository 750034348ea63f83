import { describe, expect, it } from 'vitest';
import {
  judgeDataFile,
  lmdbDataVersion,
  lmdbMagic,
  metaPageBytes,
  parseMetaPage,
} from '../../src/checkpoint/lmdb-meta.ts';

const pageSize = 4096;

interface MetaFields {
  magic?: number;
  version?: number;
  flags?: number;
  pageSize?: number;
  lastPage?: bigint;
  txnId?: bigint;
  freeRoot?: bigint;
  mainRoot?: bigint;
}

/** The first bytes of a meta page as lmdb-js 3.5 writes it (layout in lmdb-meta.ts). */
function metaPage(fields: MetaFields = {}): Uint8Array {
  const bytes = new Uint8Array(metaPageBytes);
  const view = new DataView(bytes.buffer);
  view.setUint16(18, fields.flags ?? 0x08, true);
  view.setUint32(24, fields.magic ?? lmdbMagic, true);
  view.setUint32(28, fields.version ?? lmdbDataVersion, true);
  view.setUint32(48, fields.pageSize ?? pageSize, true);
  view.setBigUint64(48 + 40, fields.freeRoot ?? 3n, true);
  view.setBigUint64(96 + 40, fields.mainRoot ?? 4n, true);
  view.setBigUint64(144, fields.lastPage ?? 9n, true);
  view.setBigUint64(152, fields.txnId ?? 7n, true);
  return bytes;
}

describe('an LMDB meta page', () => {
  it('yields its page size, last page, transaction and roots', () => {
    expect(parseMetaPage(metaPage({ mainRoot: 0xffff_ffff_ffff_ffffn }))).toEqual({
      pageSize,
      lastPage: 9,
      txnId: 7,
      roots: [3, undefined],
    });
  });

  it.each<[string, MetaFields | 'short', string]>([
    ['not a meta page', { flags: 0x02 }, 'not marked as a meta page'],
    ['another magic', { magic: 0xdeadbeef }, 'magic number is 0xdeadbeef'],
    ['another format version', { version: 1 }, 'format version is 1'],
    ['a page size that is no power of two', { pageSize: 5000 }, 'page size 5000'],
    ['no pages beyond the meta pages', { lastPage: 0n }, 'last page number 0'],
    ['a root beyond the last page', { mainRoot: 10n }, 'database root (page 10)'],
    ['a root among the meta pages', { freeRoot: 1n }, 'database root (page 1)'],
    ['fewer bytes than a meta page', 'short', 'cut short'],
  ])('is damaged with %s', (_, fields, problem) => {
    const bytes = fields === 'short' ? metaPage().subarray(0, 100) : metaPage(fields);
    expect(parseMetaPage(bytes)).toContain(problem);
  });
});

describe('an LMDB data file, judged before it is mapped', () => {
  const sound = { fileBytes: 10 * pageSize, page0: metaPage(), page1: metaPage({ txnId: 8n }) };

  it('opens with the meta page of the newer transaction', () => {
    expect(judgeDataFile(sound)).toEqual({
      problems: [],
      newest: { pageSize, lastPage: 9, txnId: 8, roots: [3, 4] },
    });
  });

  it.each<[string, Partial<typeof sound>, string]>([
    ['empty', { fileBytes: 0 }, 'the file is empty (0 bytes)'],
    ['shorter than two pages', { fileBytes: pageSize, page1: new Uint8Array() }, 'shorter than'],
    ['not a whole number of pages', { fileBytes: 10 * pageSize - 1 }, 'not a whole number'],
    ['cut below a root', { fileBytes: 4 * pageSize }, 'has its root in page 4'],
    ['with garbage in page 0', { page0: metaPage({ magic: 1 }) }, 'meta page 0 is damaged'],
    // LMDB would pick page 1 by its txnid alone: garbage there is refused too.
    ['with garbage in page 1', { page1: metaPage({ version: 9 }) }, 'meta page 1 is damaged'],
    [
      'with pages of two sizes',
      { page1: metaPage({ pageSize: 8192, txnId: 8n }) },
      'disagree on the page size',
    ],
  ])('is refused when %s', (_, facts, problem) => {
    const verdict = judgeDataFile({ ...sound, ...facts });
    expect(verdict.newest).toBeUndefined();
    expect(verdict.problems.join('; ')).toContain(problem);
  });

  it('judges the cut by the newer meta page, whichever it is', () => {
    const olderHasFarRoot = { ...sound, page0: metaPage({ mainRoot: 8n, txnId: 9n }) };
    const cut = { fileBytes: 6 * pageSize };
    expect(judgeDataFile({ ...olderHasFarRoot, ...cut }).problems).toHaveLength(1);
    expect(judgeDataFile({ ...sound, page0: metaPage({ mainRoot: 8n }), ...cut }).problems).toEqual(
      [],
    );
  });

  it('takes a file that ends before its last page, roots inside, as sound', () => {
    // LMDB never writes a page a transaction allocated and freed again: a sound file may end
    // early; walking its trees tells whether what is missing was in use (lmdb-pages.ts).
    const short = { ...sound, page1: metaPage({ txnId: 8n, lastPage: 300n }) };
    expect(judgeDataFile(short)).toMatchObject({ problems: [], newest: { lastPage: 300 } });
  });
});
