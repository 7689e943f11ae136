/**
 * The shapes every import source produces and the import consumes. A source (Taobao Assistant
 * export, TOP API, an item-URL provider) turns its own format into {@link SourceItem}s; the mapper
 * (mapping/item-mapper.ts) turns those into core products, whatever the source.
 */

/** An image as the source knows it: a file inside the upload (Taobao Assistant .tbi) or a URL. */
export type SourceImage = { kind: 'file'; name: string } | { kind: 'url'; url: string };

/** One sale property value of a SKU: `pid:vid`, with names when the source knows them. */
export interface SourceSkuProp {
  pid: string;
  vid: string;
  /** Property name from the source (TOP properties_name), e.g. 颜色分类. */
  pidName?: string;
  /** Value name from the source (TOP properties_name), e.g. 红色. */
  vidName?: string;
}

export interface SourceSku {
  /** Yuan as text ("99.00"), or null to use the item's price. */
  price: string | null;
  quantity: string | null;
  outerId: string | null;
  props: SourceSkuProp[];
}

export interface SourceItem {
  /** Taobao item id (num_id / num_iid); null for items created offline in Taobao Assistant. */
  numId: string | null;
  /** 商家编码 of the item. */
  outerId: string | null;
  title: string;
  subtitle: string;
  /** Yuan as text. */
  price: string;
  /** Stock of the item (used when it has no SKUs). */
  num: string;
  /** Taobao leaf category id (cid). */
  cid: string | null;
  /** Shop (seller) category ids. */
  sellerCids: string[];
  descriptionHtml: string;
  /** Main images, cover first. */
  images: SourceImage[];
  /** Images of sale property values ("1627207:28320" → image), used for variant images. */
  propImages: Array<{ prop: string; image: SourceImage }>;
  skus: SourceSku[];
  /** 销售属性别名 and custom value names: "pid:vid" → name. */
  valueNames: Record<string, string>;
  /** Property names the source knows: pid → name. */
  propNames: Record<string, string>;
  /** On sale on Taobao (true), in the warehouse (false), or unknown (null). */
  onSale: boolean | null;
  /** Problems the source noticed while reading the row (kept, not fatal). */
  warnings: string[];
}

/** What a source yields for each position: an item, or the reason the row could not be read. */
export type SourceRow =
  | { index: number; rowNo: number; item: SourceItem; error?: undefined }
  | { index: number; rowNo: number; item?: undefined; error: string; numId?: string | null; title?: string };

/** Summary of what a source's format looked like, for the preview. */
export interface SourceFormatInfo {
  kind: 'csv' | 'top' | 'item-url';
  encoding?: string;
  version?: string;
  delimiter?: string;
  headerRows?: number;
  columns?: number;
  /** Header names we do not use (newer exports add columns: they are ignored, never misread). */
  ignoredColumns?: string[];
  /** Optional columns the file lacks (older exports). */
  missingColumns?: string[];
  csvName?: string;
  imageFiles?: number;
  notes?: string[];
}

/**
 * An import source. Positions are 0-based and stable for the lifetime of an import, so a job that
 * stops can resume at the first position it has not committed.
 */
export interface ImportSource {
  readonly kind: 'csv' | 'top' | 'item-url';
  /** Number of items, when the source can tell (the CSV is counted in the preview scan). */
  count(signal?: AbortSignal): Promise<number | null>;
  /** Rows from `from` on, in order. */
  rows(from: number, signal?: AbortSignal): AsyncIterable<SourceRow>;
  /** The bytes of an image, or null with the reason. */
  readImage(image: SourceImage, signal?: AbortSignal): Promise<{ data: Buffer } | { error: string }>;
  /** Whether an image can be found without reading it (null: unknown until read). */
  hasImage(image: SourceImage): boolean | null;
  formatInfo(): SourceFormatInfo;
  close(): Promise<void>;
}

/** Thrown by a source when the whole import cannot go on (expired session, unreadable file …). */
export class FatalSourceError extends Error {
  constructor(message: string, readonly code = 'source_failed') {
    super(message);
    this.name = 'FatalSourceError';
  }
}
