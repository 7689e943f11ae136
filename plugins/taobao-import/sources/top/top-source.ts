import { FatalSourceError, type ImportSource, type SourceFormatInfo, type SourceImage, type SourceItem, type SourceRow, type SourceSku } from '../../model.js';
import { downloadImage } from '../download.js';
import { TopApiError, type TopClient } from './top-client.js';

/** The parts of TOP's Item structure the import reads (JSON format, simplify=false). */
export interface TopItem {
  num_iid: number | string;
  title?: string;
  sell_point?: string;
  price?: string;
  num?: number;
  cid?: number;
  seller_cids?: string;
  outer_id?: string;
  desc?: string;
  approve_status?: string;
  pic_url?: string;
  item_imgs?: { item_img?: Array<{ url: string; position?: number }> };
  prop_imgs?: { prop_img?: Array<{ properties: string; url: string }> };
  skus?: { sku?: Array<{ sku_id?: number; properties?: string; properties_name?: string; price?: string; quantity?: number; outer_id?: string }> };
  property_alias?: string;
  props_name?: string;
}

export interface ItemsOnsaleGetResponse {
  total_results?: number;
  items?: { item?: TopItem[] };
}

export interface ItemSellerGetResponse {
  item?: TopItem;
}

export const LIST_FIELDS = 'num_iid,title,cid,seller_cids,modified';
export const DETAIL_FIELDS = 'num_iid,title,sell_point,price,num,cid,seller_cids,outer_id,desc,approve_status,pic_url,item_img,prop_img,sku,property_alias,props_name';

/** TOP's Item → the import's SourceItem. */
export function fromTopItem(item: TopItem): SourceItem {
  const warnings: string[] = [];
  const propNames: Record<string, string> = {};
  const valueNames: Record<string, string> = {};
  const skus: SourceSku[] = (item.skus?.sku ?? []).map((s) => {
    const names = new Map<string, { pidName: string; vidName: string }>();
    for (const part of (s.properties_name ?? '').split(';')) {
      const m = /^(-?\d+):(-?\d+):([^:]*):(.*)$/s.exec(part.trim());
      if (m) names.set(`${m[1]}:${m[2]}`, { pidName: m[3], vidName: m[4] });
    }
    const props = (s.properties ?? '').split(';').map((p) => p.trim()).filter(Boolean).map((p) => {
      const [pid, vid] = p.split(':');
      const n = names.get(`${pid}:${vid}`);
      if (n?.pidName) propNames[pid] = n.pidName;
      return { pid, vid, pidName: n?.pidName, vidName: n?.vidName };
    });
    return { price: s.price ?? null, quantity: s.quantity === undefined ? null : String(s.quantity), outerId: s.outer_id || null, props };
  });
  for (const part of (item.property_alias ?? '').split(';')) {
    const m = /^(-?\d+):(-?\d+):(.+)$/s.exec(part.trim());
    if (m) valueNames[`${m[1]}:${m[2]}`] = m[3].trim();
  }
  const imgs = [...(item.item_imgs?.item_img ?? [])].sort((a, b) => (a.position ?? 0) - (b.position ?? 0)).map((i): SourceImage => ({ kind: 'url', url: i.url }));
  if (!imgs.length && item.pic_url) imgs.push({ kind: 'url', url: item.pic_url });
  return {
    numId: String(item.num_iid),
    outerId: item.outer_id || null,
    title: item.title ?? '',
    subtitle: item.sell_point ?? '',
    price: item.price ?? '',
    num: item.num === undefined ? '' : String(item.num),
    cid: item.cid ? String(item.cid) : null,
    sellerCids: (item.seller_cids ?? '').split(/[,;\s]+/).filter((s) => /^\d+$/.test(s) && s !== '0'),
    descriptionHtml: item.desc ?? '',
    images: imgs,
    propImages: (item.prop_imgs?.prop_img ?? []).map((p) => ({ prop: p.properties, image: { kind: 'url', url: p.url } })),
    skus,
    valueNames,
    propNames,
    onSale: item.approve_status === 'onsale' ? true : item.approve_status === 'instock' ? false : null,
    warnings,
  };
}

export interface TopSourceOptions {
  pageSize: number;
  downloadTimeoutMs: number;
}

/**
 * The merchant's on-sale items through TOP: `taobao.items.onsale.get` pages through the list,
 * `taobao.item.seller.get` fetches each item's detail. Position n is item n of the listing, so a
 * resumed import asks for page ⌊n / pageSize⌋ + 1 and skips to its offset.
 */
export class TopSource implements ImportSource {
  readonly kind = 'top' as const;

  constructor(private readonly client: TopClient, private readonly options: TopSourceOptions) {}

  formatInfo(): SourceFormatInfo {
    return { kind: 'top', notes: [`taobao.items.onsale.get, ${this.options.pageSize} per page; taobao.item.seller.get per item`] };
  }

  async count(signal?: AbortSignal): Promise<number> {
    const res = await this.list(1, 1, 'num_iid', signal);
    return res.total_results ?? 0;
  }

  /** Every listed item's id, title and categories (no details): for the preview's category list. */
  async *listing(signal?: AbortSignal): AsyncGenerator<TopItem> {
    const size = 200;
    for (let page = 1; ; page++) {
      const res = await this.list(page, size, LIST_FIELDS, signal);
      const items = res.items?.item ?? [];
      yield* items;
      if (items.length < size || page * size >= (res.total_results ?? 0) || signal?.aborted) return;
    }
  }

  async *rows(from: number, signal?: AbortSignal): AsyncGenerator<SourceRow> {
    const size = this.options.pageSize;
    let page = Math.floor(from / size) + 1;
    let offset = from % size;
    for (;;) {
      if (signal?.aborted) return;
      const res = await this.list(page, size, 'num_iid,title', signal);
      const items = res.items?.item ?? [];
      for (let k = offset; k < items.length; k++) {
        if (signal?.aborted) return;
        const index = (page - 1) * size + k;
        const listed = items[k];
        try {
          const detail = await this.client.call<ItemSellerGetResponse>('taobao.item.seller.get', { fields: DETAIL_FIELDS, num_iid: String(listed.num_iid) }, signal);
          if (!detail.item) {
            yield { index, rowNo: index + 1, error: `taobao.item.seller.get returned no item for ${listed.num_iid}`, numId: String(listed.num_iid), title: listed.title };
            continue;
          }
          yield { index, rowNo: index + 1, item: fromTopItem(detail.item) };
        } catch (err) {
          if (signal?.aborted) return; // stopping: this item is read again on resume
          if (err instanceof TopApiError && (err.fatal || err.kind === 'rate-limit' || err.kind === 'unavailable')) throw new FatalSourceError(err.message, `top_${err.kind}`);
          yield { index, rowNo: index + 1, error: (err as Error).message, numId: String(listed.num_iid), title: listed.title };
        }
      }
      if (items.length < size || page * size >= (res.total_results ?? 0)) return;
      page++;
      offset = 0;
    }
  }

  private async list(page: number, size: number, fields: string, signal?: AbortSignal): Promise<ItemsOnsaleGetResponse> {
    try {
      return await this.client.call<ItemsOnsaleGetResponse>('taobao.items.onsale.get', { fields, page_no: page, page_size: size }, signal);
    } catch (err) {
      if (err instanceof TopApiError) throw new FatalSourceError(err.message, `top_${err.kind}`);
      throw err;
    }
  }

  hasImage(): boolean | null {
    return null;
  }

  readImage(image: SourceImage, signal?: AbortSignal): Promise<{ data: Buffer } | { error: string }> {
    if (image.kind !== 'url') return Promise.resolve({ error: `picture ${image.name} has no URL` });
    return downloadImage(image.url, { timeoutMs: this.options.downloadTimeoutMs, signal });
  }

  async close(): Promise<void> {}
}
