import type { SourceImage, SourceItem, SourceSku } from '../../model.js';

/**
 * The Taobao Assistant (淘宝助理) export format.
 *
 * Record 1 is a version line ("version 1.00"), record 2 the English field names, record 3 the Chinese
 * names; items follow, one per record. Newer versions add columns, so columns are always found by
 * name (English first, then Chinese), never by position.
 */
export type AssistantField =
  | 'title' | 'cid' | 'seller_cids' | 'price' | 'num' | 'description' | 'cateProps' | 'picture' | 'skuProps'
  | 'outer_id' | 'propAlias' | 'num_id' | 'approve_status' | 'subtitle' | 'input_custom_cpv';

export const FIELD_NAMES: Readonly<Record<AssistantField, { en: string; zh: string[] }>> = {
  title: { en: 'title', zh: ['宝贝名称'] },
  cid: { en: 'cid', zh: ['宝贝类目'] },
  seller_cids: { en: 'seller_cids', zh: ['店铺类目'] },
  price: { en: 'price', zh: ['宝贝价格'] },
  num: { en: 'num', zh: ['宝贝数量'] },
  description: { en: 'description', zh: ['宝贝描述'] },
  cateProps: { en: 'cateProps', zh: ['宝贝属性'] },
  picture: { en: 'picture', zh: ['新图片'] },
  skuProps: { en: 'skuProps', zh: ['销售属性组合'] },
  outer_id: { en: 'outer_id', zh: ['商家编码'] },
  propAlias: { en: 'propAlias', zh: ['销售属性别名'] },
  num_id: { en: 'num_id', zh: ['数字ID'] },
  approve_status: { en: 'approve_status', zh: ['放入仓库'] },
  subtitle: { en: 'subtitle', zh: ['宝贝卖点'] },
  input_custom_cpv: { en: 'input_custom_cpv', zh: ['自定义属性值'] },
};

const REQUIRED: AssistantField[] = ['title', 'price'];
/** Columns whose absence loses something worth telling the merchant about. */
const NOTABLE: AssistantField[] = ['num', 'description', 'picture', 'skuProps', 'propAlias', 'num_id', 'outer_id', 'cid', 'seller_cids'];

export interface AssistantLayout {
  version: string | null;
  /** Records before the first item. */
  headerRows: number;
  columns: Partial<Record<AssistantField, number>>;
  columnCount: number;
  ignoredColumns: string[];
  missingColumns: string[];
}

export class NotAnExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotAnExportError';
  }
}

/**
 * Works out the layout from the first records (up to three). Returns null while more header records
 * may follow; throws when the records cannot be a Taobao Assistant export.
 */
export function detectLayout(records: string[][], final: boolean): AssistantLayout | null {
  let version: string | null = null;
  let en: string[] | null = null;
  let zh: string[] | null = null;
  let consumed = 0;
  for (const [i, rec] of records.entries()) {
    if (i >= 3) break;
    const cells = rec.map((c) => c.trim());
    if (i === 0 && cells.filter(Boolean).length <= 2 && /^version\b/i.test(cells[0] ?? '')) {
      version = cells[0].replace(/^version\s*/i, '').trim() || cells[0];
      consumed = 1;
      continue;
    }
    if (!en && cells.includes('title')) {
      en = cells;
      consumed = i + 1;
      continue;
    }
    if (!zh && cells.includes('宝贝名称')) {
      zh = cells;
      consumed = i + 1;
      continue;
    }
    break;
  }
  // the Chinese row may still follow the English one
  if (!final && en && !zh && records.length < consumed + 1) return null;
  if (!en && !zh) {
    if (!final && records.length < 3) return null;
    throw new NotAnExportError('this is not a Taobao Assistant export: none of the first rows has the column names (title / 宝贝名称). Export from 淘宝助理 with "导出CSV" and upload that file, or the zip with its picture folder.');
  }
  const columns: Partial<Record<AssistantField, number>> = {};
  const used = new Set<number>();
  for (const [field, names] of Object.entries(FIELD_NAMES) as Array<[AssistantField, { en: string; zh: string[] }]>) {
    let idx = en ? en.indexOf(names.en) : -1;
    if (idx < 0 && zh) idx = zh.findIndex((h) => names.zh.includes(h));
    if (idx >= 0) {
      columns[field] = idx;
      used.add(idx);
    }
  }
  const missingRequired = REQUIRED.filter((f) => columns[f] === undefined);
  if (missingRequired.length) {
    throw new NotAnExportError(`the export has no ${missingRequired.map((f) => `${f} (${FIELD_NAMES[f].zh[0]})`).join(' or ')} column`);
  }
  const header = en ?? zh!;
  const ignoredColumns = header.map((h, i) => (used.has(i) || !h ? null : en && zh && zh[i] ? `${h} (${zh[i]})` : h)).filter((h): h is string => h !== null);
  const missingColumns = NOTABLE.filter((f) => columns[f] === undefined).map((f) => `${f} (${FIELD_NAMES[f].zh[0]})`);
  return { version, headerRows: consumed, columns, columnCount: header.length, ignoredColumns, missingColumns };
}

/** Turns one item record into a SourceItem, or throws with a reason the merchant can act on. */
export function readItem(layout: AssistantLayout, fields: string[]): SourceItem {
  const trailingEmpty = (() => {
    let n = fields.length;
    while (n > 0 && fields[n - 1] === '') n--;
    return n;
  })();
  if (trailingEmpty > layout.columnCount) {
    throw new Error(`row has ${trailingEmpty} columns but the header has ${layout.columnCount}: a tab or line break inside an unquoted field?`);
  }
  const minColumns = Math.max(layout.columns.title ?? 0, layout.columns.price ?? 0) + 1;
  if (fields.length < minColumns) {
    throw new Error(`row has only ${fields.length} of ${layout.columnCount} columns (cut short?)`);
  }
  const get = (f: AssistantField): string => {
    const idx = layout.columns[f];
    return idx === undefined ? '' : (fields[idx] ?? '').trim();
  };
  const warnings: string[] = [];
  const pictures = parsePicture(get('picture'), warnings);
  const valueNames: Record<string, string> = {};
  Object.assign(valueNames, parsePropNames(get('input_custom_cpv'), warnings, '自定义属性值'));
  Object.assign(valueNames, parsePropNames(get('propAlias'), warnings, '销售属性别名'));
  const numId = get('num_id');
  const approve = get('approve_status').toLowerCase();
  return {
    numId: /^[1-9]\d{0,19}$/.test(numId) ? numId : null,
    outerId: get('outer_id') || null,
    title: get('title'),
    subtitle: get('subtitle'),
    price: get('price'),
    num: get('num'),
    cid: /^\d+$/.test(get('cid')) && get('cid') !== '0' ? get('cid') : null,
    sellerCids: get('seller_cids').split(/[,;\s]+/).filter((s) => /^\d+$/.test(s) && s !== '0'),
    descriptionHtml: fields[layout.columns.description ?? -1] ?? '',
    images: pictures.main,
    propImages: pictures.props,
    skus: parseSkuProps(get('skuProps')),
    valueNames,
    propNames: {},
    // 放入仓库: 1 = in the warehouse (not on sale); newer tools write instock/onsale
    onSale: approve === '1' || approve === 'instock' ? false : approve === '0' || approve === 'onsale' ? true : null,
    warnings,
  };
}

/**
 * 新图片: `name:1:position:|url;` for main images, `name:2:0:pid:vid|url;` for images of a sale
 * property value. The name is the .tbi file in the picture folder; the URL, when present, is where
 * Taobao already hosts the picture.
 */
export function parsePicture(text: string, warnings: string[]): { main: SourceImage[]; props: Array<{ prop: string; image: SourceImage }> } {
  const main: Array<{ pos: number; image: SourceImage }> = [];
  const props: Array<{ prop: string; image: SourceImage }> = [];
  for (const entry of text.split(';')) {
    const raw = entry.trim();
    if (!raw) continue;
    const bar = raw.indexOf('|');
    const left = bar >= 0 ? raw.slice(0, bar) : raw;
    const url = bar >= 0 ? raw.slice(bar + 1).trim() : '';
    const parts = left.split(':');
    const name = (parts[0] ?? '').trim();
    const image: SourceImage | null = name ? { kind: 'file', name } : /^https?:\/\//i.test(url) ? { kind: 'url', url } : null;
    if (!image) {
      warnings.push(`新图片 entry "${raw.slice(0, 60)}" names no picture`);
      continue;
    }
    const kind = parts[1] ?? '1';
    if (kind === '2' && parts.length >= 5) props.push({ prop: `${parts[3]}:${parts[4]}`, image });
    else main.push({ pos: Number(parts[2]) || 0, image });
  }
  main.sort((a, b) => a.pos - b.pos);
  return { main: main.map((m) => m.image), props };
}

/**
 * 销售属性组合: per variant `price:quantity:sku code:pid:vid;` followed by `pid:vid;` for each further
 * sale property, e.g. `99.00:10:SKU-R-M:1627207:28320;20509:28315;99.00:5:SKU-R-L:1627207:28320;20509:28316;`.
 * Throws when the text cannot be read as that.
 */
export function parseSkuProps(text: string): SourceSku[] {
  const skus: SourceSku[] = [];
  for (const token of text.split(';')) {
    const t = token.trim();
    if (!t) continue;
    const parts = t.split(':');
    if (parts.length >= 5) {
      const pid = parts[parts.length - 2].trim();
      const vid = parts[parts.length - 1].trim();
      const outer = parts.slice(2, parts.length - 2).join(':').trim();
      if (!/^-?\d+$/.test(pid) || !/^-?\d+$/.test(vid)) throw new Error(`销售属性组合 (skuProps) near "${t.slice(0, 60)}" is not price:quantity:code:pid:vid`);
      skus.push({ price: parts[0].trim() || null, quantity: parts[1].trim() || null, outerId: outer || null, props: [{ pid, vid }] });
    } else if (parts.length === 2 && /^-?\d+$/.test(parts[0].trim()) && /^-?\d+$/.test(parts[1].trim())) {
      const current = skus[skus.length - 1];
      if (!current) throw new Error(`销售属性组合 (skuProps) starts with "${t}" instead of price:quantity:code:pid:vid`);
      current.props.push({ pid: parts[0].trim(), vid: parts[1].trim() });
    } else {
      throw new Error(`销售属性组合 (skuProps) near "${t.slice(0, 60)}" cannot be read`);
    }
  }
  return skus;
}

/** `pid:vid:name;` lists (销售属性别名, 自定义属性值) → "pid:vid" → name. */
export function parsePropNames(text: string, warnings: string[], label: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const token of text.split(';')) {
    const t = token.trim();
    if (!t) continue;
    const m = /^(-?\d+):(-?\d+):(.*)$/s.exec(t);
    if (!m) {
      warnings.push(`${label} entry "${t.slice(0, 60)}" is not pid:vid:name; ignored`);
      continue;
    }
    const name = m[3].trim();
    if (name) out[`${m[1]}:${m[2]}`] = name;
  }
  return out;
}
