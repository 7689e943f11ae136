/**
 * Generators of Taobao Assistant exports in the real format, for the tests, the benchmark and a
 * sandbox demo: UTF-16LE with a BOM (or GBK / UTF-8), a version row, English and Chinese header rows,
 * tab-separated CRLF records, quoted fields; pictures as .tbi files (JPEG bytes) in a folder named
 * after the CSV, packed in a zip.
 */
import iconv from 'iconv-lite';
import { closeSync, openSync, writeSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';

/** The 47 columns of an older 淘宝助理 export (version 1.00). */
export const COLUMNS_OLD: Array<[string, string]> = [
  ['title', '宝贝名称'], ['cid', '宝贝类目'], ['seller_cids', '店铺类目'], ['stuff_status', '新旧程度'], ['location_state', '省'], ['location_city', '城市'],
  ['item_type', '出售方式'], ['price', '宝贝价格'], ['auction_increment', '加价幅度'], ['num', '宝贝数量'], ['valid_thru', '有效期'], ['freight_payer', '运费承担'],
  ['post_fee', '平邮'], ['ems_fee', 'EMS'], ['express_fee', '快递'], ['has_invoice', '发票'], ['has_warranty', '保修'], ['approve_status', '放入仓库'],
  ['has_showcase', '橱窗推荐'], ['list_time', '开始时间'], ['description', '宝贝描述'], ['cateProps', '宝贝属性'], ['postage_id', '邮费模版ID'], ['has_discount', '会员打折'],
  ['modified', '修改时间'], ['upload_fail_msg', '上传状态'], ['picture_status', '图片状态'], ['auction_point', '返点比例'], ['picture', '新图片'], ['video', '视频'],
  ['skuProps', '销售属性组合'], ['inputPids', '用户输入ID串'], ['inputValues', '用户输入名-值对'], ['outer_id', '商家编码'], ['propAlias', '销售属性别名'], ['auto_fill', '代充类型'],
  ['num_id', '数字ID'], ['local_cid', '本地ID'], ['navigation_type', '宝贝分类'], ['user_name', '用户名称'], ['syncStatus', '宝贝状态'], ['is_lighting_consigment', '闪电发货'],
  ['is_xinpin', '新品'], ['foodparame', '食品专项'], ['features', '尺码库'], ['global_stock_type', '库存类型'], ['sub_stock_type', '库存计数'],
];

/** A newer export: more columns (卖点, 自定义属性值, 资质 …) and some in other places, so only names can find them. */
export const COLUMNS_NEW: Array<[string, string]> = (() => {
  const cols = COLUMNS_OLD.filter(([en]) => en !== 'num_id' && en !== 'outer_id');
  cols.splice(2, 0, ['num_id', '数字ID'], ['outer_id', '商家编码']);
  return [
    ...cols,
    ['buyareatype', '采购地'], ['global_stock_country', '国家地区'], ['item_size', '物流体积'], ['item_weight', '物流重量'], ['sell_promise', '退换货承诺'],
    ['custom_design_flag', '定制工具'], ['wireless_desc', '无线详情'], ['barcode', '商品条形码'], ['sku_barcode', 'sku 条形码'], ['newprepay', '7天退货'],
    ['subtitle', '宝贝卖点'], ['cpv_memo', '属性值备注'], ['input_custom_cpv', '自定义属性值'], ['qualification', '商品资质'], ['add_qualification', '增加商品资质'],
    ['o2o_bind_service', '关联线下服务'], ['tmall_extend', 'tmall扩展字段'], ['product_combine', '产品组合'], ['tmall_item_prop_combine', 'tmall属性组合'], ['taoschema_extend', 'taoschema扩展字段'],
  ];
})();

export interface FixtureSku {
  price: string;
  quantity: number | string;
  outerId?: string;
  /** [pid, vid] pairs. */
  props: Array<[string, string]>;
}

export interface FixtureItem {
  title: string;
  price: string;
  num: number | string;
  description?: string;
  numId?: string;
  outerId?: string;
  cid?: string;
  sellerCids?: string[];
  subtitle?: string;
  /** 1: in the warehouse (放入仓库), 0: on sale. */
  approveStatus?: '0' | '1';
  skus?: FixtureSku[];
  /** [pid, vid, alias] — 销售属性别名. */
  aliases?: Array<[string, string, string]>;
  /** [pid, vid, name] — 自定义属性值 (newer exports). */
  customValues?: Array<[string, string, string]>;
  /** Main pictures: names of .tbi files, in order. */
  pictures?: string[];
  /** Pictures of a sale property value: [name, "pid:vid"]. */
  propPictures?: Array<[string, string]>;
  /** Any other column, by English name. */
  extra?: Record<string, string>;
}

export interface CsvOptions {
  columns?: 'old' | 'new';
  encoding?: 'utf-16le' | 'gbk' | 'utf-8';
  bom?: boolean;
  /** Raw text inserted as records after the item with this index (for malformed rows). */
  rawAfter?: Record<number, string>;
}

function quote(v: string): string {
  return /["\t\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function itemRecord(item: FixtureItem, columns: Array<[string, string]>): string {
  const values: Record<string, string> = {
    title: item.title,
    cid: item.cid ?? '50010850',
    seller_cids: item.sellerCids?.length ? `,${item.sellerCids.join(',')},` : '',
    stuff_status: '1', location_state: '浙江', location_city: '杭州', item_type: '1',
    price: item.price,
    num: String(item.num),
    valid_thru: '7', freight_payer: '2', post_fee: '0', ems_fee: '0', express_fee: '0', has_invoice: '0', has_warranty: '0',
    approve_status: item.approveStatus ?? '0', has_showcase: '0',
    description: item.description ?? '',
    cateProps: (item.skus ?? []).flatMap((s) => s.props.map(([p, v]) => `${p}:${v};`)).filter((v, i, a) => a.indexOf(v) === i).join(''),
    picture_status: (item.pictures ?? []).map(() => '2;').join(''),
    picture: [...(item.pictures ?? []).map((name, i) => `${name}:1:${i}:|;`), ...(item.propPictures ?? []).map(([name, pv]) => `${name}:2:0:${pv}|;`)].join(''),
    skuProps: (item.skus ?? []).map((s) => `${s.price}:${s.quantity}:${s.outerId ?? ''}:${s.props.map(([p, v]) => `${p}:${v}`).join(';')};`).join(''),
    outer_id: item.outerId ?? '',
    propAlias: (item.aliases ?? []).map(([p, v, a]) => `${p}:${v}:${a};`).join(''),
    num_id: item.numId ?? '0',
    subtitle: item.subtitle ?? '',
    input_custom_cpv: (item.customValues ?? []).map(([p, v, n]) => `${p}:${v}:${n};`).join(''),
    ...item.extra,
  };
  return columns.map(([en]) => quote(values[en] ?? '')).join('\t');
}

/** A complete export CSV (bytes in the chosen encoding). */
export function assistantCsv(items: FixtureItem[], opts: CsvOptions = {}): Buffer {
  const columns = opts.columns === 'new' ? COLUMNS_NEW : COLUMNS_OLD;
  const lines = ['version 1.00', columns.map(([en]) => en).join('\t'), columns.map(([, zh]) => zh).join('\t')];
  items.forEach((item, i) => {
    lines.push(itemRecord(item, columns));
    if (opts.rawAfter?.[i] !== undefined) lines.push(opts.rawAfter[i]);
  });
  return encodeText(`${lines.join('\r\n')}\r\n`, opts.encoding ?? 'utf-16le', opts.bom ?? true);
}

export function encodeText(text: string, encoding: 'utf-16le' | 'gbk' | 'utf-8', bom: boolean): Buffer {
  if (encoding === 'utf-16le') return Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, 'utf16le')]);
  if (encoding === 'utf-8') return Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
  return iconv.encode(text, 'gbk');
}

const JPEG = Buffer.from(
  '/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAIAAgDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAT/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABQb/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCEAeon/9k=',
  'base64',
);

/** A valid 8×8 JPEG, made unique by a comment segment carrying `seed`; `padTo` grows it with a longer comment. */
export function tinyJpeg(seed: string | number, padTo = 0): Buffer {
  let text = `taobao-import fixture ${seed}`;
  if (padTo > JPEG.length + text.length + 4) text = text.padEnd(Math.min(65000, padTo - JPEG.length - 4), '.');
  const body = Buffer.from(text, 'latin1');
  const com = Buffer.alloc(4);
  com.writeUInt16BE(0xfffe, 0);
  com.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([JPEG.subarray(0, 2), com, body, JPEG.subarray(2)]);
}

/** A minimal zip writer (stored or deflated entries, UTF-8 names, no zip64: < 65,535 entries and < 4 GB). */
export class ZipWriter {
  private readonly fd: number;
  private offset = 0;
  private readonly central: Buffer[] = [];
  private count = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  add(name: string, data: Buffer, opts: { deflate?: boolean; utf8Flag?: boolean; rawName?: Buffer } = {}): void {
    const nameBuf = opts.rawName ?? Buffer.from(name, 'utf8');
    const deflated = opts.deflate ? deflateRawSync(data) : null;
    const body = deflated ?? data;
    const method = deflated ? 8 : 0;
    const flags = opts.utf8Flag === false ? 0 : 0x800;
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    const cen = Buffer.alloc(46);
    cen.writeUInt32LE(0x02014b50, 0);
    cen.writeUInt16LE(20, 4);
    cen.writeUInt16LE(20, 6);
    cen.writeUInt16LE(flags, 8);
    cen.writeUInt16LE(method, 10);
    cen.writeUInt16LE(0, 12);
    cen.writeUInt16LE(0x21, 14);
    cen.writeUInt32LE(crc, 16);
    cen.writeUInt32LE(body.length, 20);
    cen.writeUInt32LE(data.length, 24);
    cen.writeUInt16LE(nameBuf.length, 28);
    cen.writeUInt32LE(this.offset, 42);
    this.central.push(cen, nameBuf);
    this.write(local);
    this.write(nameBuf);
    this.write(body);
    this.count++;
  }

  finish(): void {
    const start = this.offset;
    for (const b of this.central) this.write(b);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.count, 8);
    end.writeUInt16LE(this.count, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    this.write(end);
    closeSync(this.fd);
  }

  private write(b: Buffer): void {
    let done = 0;
    while (done < b.length) done += writeSync(this.fd, b, done, b.length - done);
    this.offset += b.length;
  }
}

/**
 * Writes `<path>`: a zip with `<baseName>.csv` and `<baseName>/<picture>.tbi` for every picture the
 * items name (`pictureBytes` gives their bytes; default a unique tiny JPEG each). Pictures listed in
 * `leaveOut` are not packed (to test missing pictures).
 */
export function writeAssistantZip(path: string, items: FixtureItem[], opts: CsvOptions & { baseName?: string; pictureBytes?: (name: string) => Buffer; leaveOut?: string[]; gbkNames?: boolean } = {}): void {
  const base = opts.baseName ?? '宝贝导出';
  const zip = new ZipWriter(path);
  const csv = assistantCsv(items, opts);
  const nameOf = (n: string) => (opts.gbkNames ? { rawName: iconv.encode(n, 'gbk'), utf8Flag: false } : {});
  zip.add(`${base}.csv`, csv, { deflate: true, ...nameOf(`${base}.csv`) });
  const seen = new Set<string>(opts.leaveOut ?? []);
  for (const item of items) {
    for (const name of [...(item.pictures ?? []), ...(item.propPictures ?? []).map(([n]) => n)]) {
      if (seen.has(name)) continue;
      seen.add(name);
      zip.add(`${base}/${name}.tbi`, opts.pictureBytes ? opts.pictureBytes(name) : tinyJpeg(name), nameOf(`${base}/${name}.tbi`));
    }
  }
  zip.finish();
}

/** A plausible shop: `n` items, every third with colour × size variants and aliases, pictures named by item. */
export function sampleShop(n: number, opts: { startNumId?: number; priceBump?: number; picturesPerItem?: number; descriptionBytes?: number } = {}): FixtureItem[] {
  const start = opts.startNumId ?? 600_000_000_001;
  const pics = opts.picturesPerItem ?? 2;
  return Array.from({ length: n }, (_, i) => {
    const numId = String(start + i);
    const base = 1990 + (i % 50) * 100 + (opts.priceBump ?? 0);
    const price = (base / 100).toFixed(2);
    const desc = `<p>宝贝 ${i + 1} 的详情：纯棉面料，舒适透气。</p><p><img src="https://img.alicdn.com/imgextra/i1/${numId}.jpg"></p>`;
    const item: FixtureItem = {
      title: `测试宝贝 ${i + 1} 纯棉T恤`,
      price,
      num: 10 + (i % 7),
      numId,
      outerId: `SPU-${i + 1}`,
      cid: i % 2 ? '50000671' : '162104',
      sellerCids: [String(1000 + (i % 5))],
      description: opts.descriptionBytes ? desc.padEnd(opts.descriptionBytes, '。') : desc,
      pictures: Array.from({ length: pics }, (_, k) => `p${numId}x${k}`),
    };
    if (i % 3 === 0) {
      item.skus = [
        { price, quantity: 5, outerId: `SKU-${i + 1}-R-M`, props: [['1627207', '28326'], ['20509', '28315']] },
        { price, quantity: 3, outerId: `SKU-${i + 1}-R-L`, props: [['1627207', '28326'], ['20509', '28316']] },
        { price: ((base + 500) / 100).toFixed(2), quantity: 2, outerId: `SKU-${i + 1}-B-M`, props: [['1627207', '28341'], ['20509', '28315']] },
      ];
      item.aliases = [['1627207', '28326', '中国红'], ['1627207', '28341', '曜石黑']];
      item.propPictures = [[`c${numId}r`, '1627207:28326']];
    }
    return item;
  });
}
