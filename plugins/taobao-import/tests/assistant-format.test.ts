import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssistantExportSource, UPLOAD_CSV, UPLOAD_ZIP } from '../sources/csv/assistant-source.js';
import { DelimitedParser } from '../sources/csv/delimited-parser.js';
import { detectEncoding } from '../sources/csv/encoding.js';
import { parsePicture, parseSkuProps } from '../sources/csv/assistant-format.js';
import { LIMITS, mapItem } from '../mapping/item-mapper.js';
import type { SourceItem, SourceRow } from '../model.js';
import { assistantCsv, itemRecord, COLUMNS_OLD, sampleShop, tinyJpeg, writeAssistantZip, type FixtureItem } from '../testing/fixtures.js';
import { imageType } from '../services/image-store.js';

const root = mkdtempSync(join(tmpdir(), 'tb-format-'));
let n = 0;
after(() => rmSync(root, { recursive: true, force: true }));

function dirWith(file: string, data: Buffer): string {
  const dir = join(root, `case-${++n}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), data);
  return dir;
}

async function readAll(dir: string): Promise<{ rows: SourceRow[]; source: AssistantExportSource }> {
  const source = await AssistantExportSource.open(dir);
  const rows: SourceRow[] = [];
  for await (const r of source.rows(0)) rows.push(r);
  await source.close();
  return { rows, source };
}

function items(rows: SourceRow[]): SourceItem[] {
  return rows.filter((r) => r.item).map((r) => r.item!);
}

const VARIANT_ITEM: FixtureItem = {
  title: '纯棉T恤 男款', price: '99.00', num: 10, numId: '600000000001', outerId: 'SPU-1', cid: '50000671', sellerCids: ['1001', '1002'],
  description: '<p>详情</p>', pictures: ['aaa111', 'bbb222'], propPictures: [['ccc333', '1627207:28326']],
  skus: [
    { price: '99.00', quantity: 5, outerId: 'SKU-R-M', props: [['1627207', '28326'], ['20509', '28315']] },
    { price: '99.00', quantity: 3, outerId: 'SKU-R-L', props: [['1627207', '28326'], ['20509', '28316']] },
    { price: '109.00', quantity: 2, outerId: 'SKU-B-M', props: [['1627207', '-1001'], ['20509', '28315']] },
  ],
  aliases: [['1627207', '28326', '中国红']],
  customValues: [['1627207', '-1001', '星空蓝']],
};

describe('Taobao Assistant export: reading', () => {
  it('detects UTF-16LE with a BOM, GBK and UTF-8', () => {
    assert.deepEqual(detectEncoding(Buffer.from([0xff, 0xfe, 0x76, 0x00])), { encoding: 'utf-16le', bomLength: 2 });
    assert.deepEqual(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x76])), { encoding: 'utf-8', bomLength: 3 });
    assert.equal(detectEncoding(Buffer.from('version 1.00\r\n', 'utf16le')).encoding, 'utf-16le');
    assert.equal(detectEncoding(assistantCsv([VARIANT_ITEM], { encoding: 'gbk' })).encoding, 'gb18030');
    assert.equal(detectEncoding(assistantCsv([VARIANT_ITEM], { encoding: 'utf-8', bom: false })).encoding, 'utf-8');
  });

  it('reads the real layout: UTF-16LE BOM, version row, English and Chinese header rows, tabs, CRLF', async () => {
    const csv = assistantCsv([VARIANT_ITEM, { title: '第二件 "引号" 宝贝', price: '12.5', num: 3, numId: '600000000002', description: '<p>第一行\r\n第二行\t制表</p>' }]);
    assert.deepEqual([...csv.subarray(0, 2)], [0xff, 0xfe]);
    const { rows, source } = await readAll(dirWith(UPLOAD_CSV, csv));
    assert.equal(rows.length, 2);
    assert.deepEqual(rows.map((r) => r.rowNo), [4, 5], 'rows are numbered as a spreadsheet shows them (3 header rows)');
    const [a, b] = items(rows);
    assert.equal(a.title, '纯棉T恤 男款');
    assert.equal(a.numId, '600000000001');
    assert.equal(a.outerId, 'SPU-1');
    assert.deepEqual(a.sellerCids, ['1001', '1002']);
    assert.equal(a.cid, '50000671');
    assert.deepEqual(a.images, [{ kind: 'file', name: 'aaa111' }, { kind: 'file', name: 'bbb222' }]);
    assert.deepEqual(a.propImages, [{ prop: '1627207:28326', image: { kind: 'file', name: 'ccc333' } }]);
    assert.equal(a.skus.length, 3);
    assert.equal(b.title, '第二件 "引号" 宝贝');
    assert.equal(b.descriptionHtml, '<p>第一行\r\n第二行\t制表</p>', 'quoted fields keep tabs and line breaks');
    const info = source.formatInfo();
    assert.equal(info.encoding, 'UTF-16LE (BOM)');
    assert.equal(info.version, '1.00');
    assert.equal(info.headerRows, 3);
    assert.equal(info.columns, COLUMNS_OLD.length);
    assert.ok(info.missingColumns!.length === 0 || !info.missingColumns!.some((c) => c.startsWith('picture')));
  });

  it('matches columns by name: an older and a newer (reordered, longer) column set read the same', async () => {
    const shop = [VARIANT_ITEM, ...sampleShop(4)];
    const older = items((await readAll(dirWith(UPLOAD_CSV, assistantCsv(shop, { columns: 'old' })))).rows);
    const { rows, source } = await readAll(dirWith(UPLOAD_CSV, assistantCsv(shop, { columns: 'new' })));
    const newer = items(rows);
    assert.equal(newer.length, 5);
    for (const [i, item] of older.entries()) {
      assert.equal(newer[i].title, item.title);
      assert.equal(newer[i].numId, item.numId, 'num_id sits elsewhere in the newer file');
      assert.equal(newer[i].outerId, item.outerId);
      assert.deepEqual(newer[i].skus, item.skus);
      assert.equal(newer[i].price, item.price);
    }
    // the newer set has 自定义属性值: the custom value gets its name only there
    assert.equal(newer[0].valueNames['1627207:-1001'], '星空蓝');
    assert.equal(older[0].valueNames['1627207:-1001'], undefined);
    assert.ok(source.formatInfo().ignoredColumns!.some((c) => c.startsWith('qualification')), 'unknown newer columns are listed as ignored');
  });

  it('reads GBK and UTF-8 files', async () => {
    for (const encoding of ['gbk', 'utf-8'] as const) {
      const { rows, source } = await readAll(dirWith(UPLOAD_CSV, assistantCsv([VARIANT_ITEM], { encoding, bom: encoding === 'utf-8' })));
      assert.equal(items(rows)[0].title, '纯棉T恤 男款', encoding);
      assert.equal(items(rows)[0].valueNames['1627207:28326'], '中国红', encoding);
      assert.match(source.formatInfo().encoding!, encoding === 'gbk' ? /GBK/ : /UTF-8/);
    }
  });

  it('one malformed row never stops the rest: cut rows, bad SKU text, unclosed quotes', async () => {
    const good = (i: number): FixtureItem => ({ title: `好宝贝 ${i}`, price: '10.00', num: 1, numId: String(610000000000 + i) });
    const cut = itemRecord(good(90), COLUMNS_OLD).split('\t').slice(0, 5).join('\t');
    const badSku = itemRecord({ ...good(91), skus: [{ price: '1', quantity: 1, props: [['1627207', '28326']] }] }, COLUMNS_OLD).replace('1:1::1627207:28326;', 'oops;');
    const unclosed = itemRecord(good(92), COLUMNS_OLD).replace('好宝贝 92', '"好宝贝 92 没有结束的引号');
    const csv = assistantCsv([good(1), good(2), good(3), good(4)], { rawAfter: { 0: cut, 1: badSku, 2: unclosed } });
    const { rows } = await readAll(dirWith(UPLOAD_CSV, csv));
    const errors = rows.filter((r) => r.error !== undefined);
    assert.deepEqual(items(rows).map((i) => i.title), ['好宝贝 1', '好宝贝 2', '好宝贝 3', '好宝贝 4']);
    assert.equal(errors.length, 3, JSON.stringify(errors));
    assert.match(errors[0].error!, /only 5 of 47 columns/);
    assert.match(errors[1].error!, /销售属性组合/);
    assert.match(errors[2].error!, /never closed|longer than/);
  });

  it('parses in bounded chunks: any split of the text gives the same records', () => {
    const text = 'version 1.00\r\na\tb\r\n"x\r\ny"\t"q""q"\r\nlast\tline';
    const whole = new DelimitedParser();
    const expected = [...whole.push(text), ...whole.end()];
    for (let size = 1; size <= 7; size++) {
      const p = new DelimitedParser();
      const got = [];
      for (let i = 0; i < text.length; i += size) got.push(...p.push(text.slice(i, i + size)));
      got.push(...p.end());
      assert.deepEqual(got, expected, `chunks of ${size}`);
    }
    assert.deepEqual(expected.map((r) => r.fields), [['version 1.00'], ['a', 'b'], ['x\r\ny', 'q"q'], ['last', 'line']]);
  });

  it('reads pictures (main and per property) and SKU combinations', () => {
    const w: string[] = [];
    const pics = parsePicture('b:1:1:|;a:1:0:|https://img.alicdn.com/a.jpg;c:2:0:1627207:28320|;', w);
    assert.deepEqual(pics.main, [{ kind: 'file', name: 'a' }, { kind: 'file', name: 'b' }]);
    assert.deepEqual(pics.props, [{ prop: '1627207:28320', image: { kind: 'file', name: 'c' } }]);
    assert.deepEqual(parseSkuProps('99.00:10:SKU-1:1627207:28320;20509:28315;88:0::1627207:28341;20509:28316;'), [
      { price: '99.00', quantity: '10', outerId: 'SKU-1', props: [{ pid: '1627207', vid: '28320' }, { pid: '20509', vid: '28315' }] },
      { price: '88', quantity: '0', outerId: null, props: [{ pid: '1627207', vid: '28341' }, { pid: '20509', vid: '28316' }] },
    ]);
  });

  it('reads a zip: the CSV and its folder of .tbi pictures (GBK file names too)', async () => {
    const dir = join(root, `case-${++n}`);
    mkdirSync(dir);
    writeAssistantZip(join(dir, UPLOAD_ZIP), [VARIANT_ITEM], { baseName: '我的宝贝', gbkNames: true, leaveOut: ['bbb222'] });
    const source = await AssistantExportSource.open(dir);
    assert.equal(source.formatInfo().csvName, '我的宝贝.csv');
    assert.equal(source.hasImage({ kind: 'file', name: 'aaa111' }), true);
    assert.equal(source.hasImage({ kind: 'file', name: 'bbb222' }), false);
    const read = await source.readImage({ kind: 'file', name: 'aaa111' });
    assert.ok('data' in read && imageType(read.data) === 'jpg', '.tbi pictures are JPEG bytes');
    const missing = await source.readImage({ kind: 'file', name: 'bbb222' });
    assert.ok('error' in missing && /not in the upload/.test(missing.error));
    const rows: SourceRow[] = [];
    for await (const r of source.rows(0)) rows.push(r);
    assert.equal(items(rows)[0].title, '纯棉T恤 男款');
    await source.close();
  });

  it('is not fooled by a file that is not an export', async () => {
    await assert.rejects(readAll(dirWith(UPLOAD_CSV, Buffer.from('name,price\r\nfoo,1\r\n'))), /not a Taobao Assistant export/);
  });
});

describe('Taobao item → product mapping', () => {
  const base = (over: Partial<SourceItem> = {}): SourceItem => ({
    numId: '1', outerId: null, title: '宝贝', subtitle: '', price: '10.00', num: '5', cid: null, sellerCids: [], descriptionHtml: '', images: [], propImages: [], skus: [], valueNames: {}, propNames: {}, onSale: true, warnings: [], ...over,
  });

  it('variants by spec: aliases, custom values and standard value names; prices in fen; variant pictures', async () => {
    const dir = dirWith(UPLOAD_CSV, assistantCsv([VARIANT_ITEM], { columns: 'new' }));
    const { rows } = await readAll(dir);
    const res = mapItem(items(rows)[0]);
    assert.ok(res.ok);
    assert.deepEqual(res.draft.specNames, ['颜色', '尺码']);
    assert.deepEqual(res.draft.variants.map((v) => [v.specValues, v.price, v.stock, v.skuCode]), [
      [['中国红', 'M'], 9900, 5, 'SKU-R-M'],
      [['中国红', 'L'], 9900, 3, 'SKU-R-L'],
      [['星空蓝', 'M'], 10900, 2, 'SKU-B-M'],
    ]);
    assert.deepEqual(res.draft.variants[0].image, { kind: 'file', name: 'ccc333' });
    assert.equal(res.draft.variants[2].image, null);
    assert.deepEqual(res.draft.skuCodes, ['SKU-R-M', 'SKU-R-L', 'SKU-B-M']);
  });

  it('warns about values without a name instead of dropping them', () => {
    const res = mapItem(base({ skus: [{ price: '1', quantity: '1', outerId: null, props: [{ pid: '1627207', vid: '99999' }] }, { price: '2', quantity: '1', outerId: null, props: [{ pid: '1627207', vid: '28341' }] }] }));
    assert.ok(res.ok);
    assert.deepEqual(res.draft.variants.map((v) => v.specValues[0]), ['99999', '黑色']);
    assert.ok(res.warnings.some((w) => /1627207:99999 has no name/.test(w)));
  });

  it('removes scripts and event handlers from descriptions, and says so', () => {
    const res = mapItem(base({ descriptionHtml: '<p onclick="steal()">好<script>alert(document.cookie)</script></p><img src="https://img.alicdn.com/x.jpg" onerror="alert(1)"><a href="javascript:alert(1)">x</a><img src="FILE:///C:/Users/a/b.jpg">' }));
    assert.ok(res.ok);
    assert.doesNotMatch(res.draft.descriptionHtml, /script|onclick|onerror|javascript|file:/i);
    assert.match(res.draft.descriptionHtml, /<img src="https:\/\/img\.alicdn\.com\/x\.jpg" \/>/);
    assert.ok(res.warnings.some((w) => /scripts/.test(w)));
    assert.ok(res.warnings.some((w) => /file:\/\/\//.test(w)));
  });

  it('cuts a huge description to what the database holds, at a tag boundary', () => {
    const para = '<p>这是一段很长的宝贝描述，包含中文和 <strong>加粗</strong> 文字。</p>';
    const huge = para.repeat(Math.ceil((400 * 1024) / Buffer.byteLength(para)));
    const res = mapItem(base({ descriptionHtml: huge }));
    assert.ok(res.ok);
    const bytes = Buffer.byteLength(res.draft.descriptionHtml);
    assert.ok(bytes <= LIMITS.descriptionBytes && bytes > LIMITS.descriptionBytes - 8 * 1024, `${bytes} bytes`);
    assert.match(res.draft.descriptionHtml, /<\/p>$/, 'ends with a closed tag');
    assert.ok(res.warnings.some((w) => /description is \d+ KB; cut/.test(w)));
  });

  it('skips rows that cannot become a product, with the reason', () => {
    const bad = (over: Partial<SourceItem>) => {
      const r = mapItem(base(over));
      assert.ok(!r.ok);
      return r.reason;
    };
    assert.match(bad({ title: '  ' }), /title/);
    assert.match(bad({ price: 'abc' }), /not a price/);
    assert.match(bad({ price: '0' }), /is 0/);
    assert.match(bad({ skus: [{ price: 'x', quantity: '1', outerId: null, props: [{ pid: '1627207', vid: '28320' }] }] }), /none of the 1 variants/);
    const rounded = mapItem(base({ price: '9.999', num: '-3' }));
    assert.ok(rounded.ok);
    assert.equal(rounded.draft.variants[0].price, 1000);
    assert.equal(rounded.draft.variants[0].stock, 0);
    assert.equal(rounded.warnings.length, 2);
  });

  it('tiny fixture pictures are valid, distinct JPEGs', () => {
    assert.equal(imageType(tinyJpeg('a')), 'jpg');
    assert.notDeepEqual(tinyJpeg('a'), tinyJpeg('b'));
  });
});
