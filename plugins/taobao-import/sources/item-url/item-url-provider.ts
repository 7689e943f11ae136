import { FatalSourceError, type ImportSource, type SourceFormatInfo, type SourceImage, type SourceItem, type SourceRow } from '../../model.js';
import { downloadImage } from '../download.js';

/**
 * ITEM-URL PROVIDERS: third-party collection services ("采集") that turn a Taobao/Tmall item URL into
 * the item's data. Merchants plug in the service they pay for; the import does the rest.
 *
 * A provider is either
 *  - in-process: a class implementing {@link ItemUrlProvider}; or
 *  - over HTTP: any service that speaks the "item JSON v1" protocol below, used through
 *    {@link HttpJsonItemUrlProvider} by setting its endpoint and key in the plugin settings.
 *
 * Item JSON v1 (docs/taobao-import.md has the full description):
 *   GET <endpoint>?url=<item URL, encoded>      Authorization: Bearer <key>
 *   200 { "item": ProviderItem }
 *   4xx/5xx { "error": { "code": "unauthorized" | "not_found" | "quota_exceeded" | …, "message": "…" } }
 */
export interface ProviderItem {
  /** Taobao item id (the URL's id=…). */
  numIid: string;
  title: string;
  subtitle?: string;
  /** Yuan, as text ("99.00") or a number. */
  price: string | number;
  quantity?: number;
  outerId?: string;
  /** Taobao leaf category id. */
  categoryId?: string;
  shopCategoryIds?: string[];
  descriptionHtml?: string;
  /** Image URLs, cover first. */
  images?: string[];
  skus?: Array<{
    price?: string | number;
    quantity?: number;
    outerId?: string;
    /** Sale properties of the variant in display order, e.g. [{ name: "颜色", value: "红色" }]. */
    props: Array<{ name: string; value: string; pid?: string; vid?: string }>;
    image?: string;
  }>;
  onSale?: boolean;
}

export class ItemUrlProviderError extends Error {
  constructor(message: string, readonly code: string, readonly fatal: boolean) {
    super(message);
    this.name = 'ItemUrlProviderError';
  }
}

export interface ItemUrlProvider {
  /** Stable id, e.g. "http-json". */
  readonly id: string;
  /** What the admin shows. */
  readonly name: string;
  /** Fetches one item. Throw ItemUrlProviderError (fatal for bad keys or exhausted quotas). */
  fetchItem(url: string, signal?: AbortSignal): Promise<ProviderItem>;
}

/** A Taobao or Tmall item URL with its item id, or null: item.taobao.com/item.htm?id=…, detail.tmall.com/item.htm?id=…, m.* / h5.* variants. */
export function parseItemUrl(text: string): { url: string; numIid: string } | null {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  if (!/(^|\.)(taobao|tmall)\.com$/i.test(u.hostname)) return null;
  const id = u.searchParams.get('id') ?? u.searchParams.get('itemId') ?? /\/i(\d{6,20})\.htm/.exec(u.pathname)?.[1] ?? null;
  if (!id || !/^\d{6,20}$/.test(id)) return null;
  return { url: u.href, numIid: id };
}

/** ProviderItem → SourceItem. Props without ids get stable synthetic ones so variants match on re-import. */
export function fromProviderItem(p: ProviderItem): SourceItem {
  const propNames: Record<string, string> = {};
  const valueNames: Record<string, string> = {};
  const propImages: SourceItem['propImages'] = [];
  const skus = (p.skus ?? []).map((s) => {
    const props = s.props.map((prop, i) => {
      const pid = prop.pid ?? `n${i}`;
      const vid = prop.vid ?? prop.value;
      propNames[pid] = prop.name;
      valueNames[`${pid}:${vid}`] = prop.value;
      return { pid, vid, pidName: prop.name, vidName: prop.value };
    });
    if (s.image && props[0]) propImages.push({ prop: `${props[0].pid}:${props[0].vid}`, image: { kind: 'url', url: s.image } });
    return { price: s.price === undefined ? null : String(s.price), quantity: s.quantity === undefined ? null : String(s.quantity), outerId: s.outerId ?? null, props };
  });
  return {
    numId: /^\d{1,20}$/.test(String(p.numIid)) ? String(p.numIid) : null,
    outerId: p.outerId ?? null,
    title: p.title ?? '',
    subtitle: p.subtitle ?? '',
    price: p.price === undefined || p.price === null ? '' : String(p.price),
    num: p.quantity === undefined ? '' : String(p.quantity),
    cid: p.categoryId ?? null,
    sellerCids: p.shopCategoryIds ?? [],
    descriptionHtml: p.descriptionHtml ?? '',
    images: (p.images ?? []).map((url) => ({ kind: 'url', url })),
    propImages,
    skus,
    valueNames,
    propNames,
    onSale: p.onSale ?? null,
    warnings: [],
  };
}

/** The item JSON v1 protocol over HTTP. */
export class HttpJsonItemUrlProvider implements ItemUrlProvider {
  readonly id = 'http-json';
  readonly name: string;

  constructor(private readonly endpoint: string, private readonly key: string, private readonly timeoutMs = 20_000) {
    this.name = `HTTP JSON (${new URL(endpoint).host})`;
  }

  async fetchItem(url: string, signal?: AbortSignal): Promise<ProviderItem> {
    const target = new URL(this.endpoint);
    target.searchParams.set('url', url);
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let res: Response;
    try {
      res = await fetch(target, { headers: { authorization: `Bearer ${this.key}`, accept: 'application/json' }, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (err) {
      throw new ItemUrlProviderError(`cannot reach the item provider at ${target.host}: ${(err as Error).message}`, 'unreachable', false);
    }
    let body: { item?: ProviderItem; error?: { code?: string; message?: string } };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      throw new ItemUrlProviderError(`the item provider answered HTTP ${res.status} without JSON`, 'bad_response', false);
    }
    if (!res.ok || !body.item) {
      const code = body.error?.code ?? `http_${res.status}`;
      const message = body.error?.message ?? `HTTP ${res.status}`;
      const fatal = res.status === 401 || res.status === 403 || code === 'unauthorized' || code === 'quota_exceeded';
      const hint = code === 'unauthorized' ? ' (check the provider key in the plugin settings)' : code === 'quota_exceeded' ? ' (the provider account has no calls left)' : '';
      throw new ItemUrlProviderError(`item provider: ${message}${hint} [${code}]`, code, fatal);
    }
    return body.item;
  }
}

/** Imports the items behind a list of pasted URLs, one position per URL. */
export class ItemUrlSource implements ImportSource {
  readonly kind = 'item-url' as const;

  constructor(private readonly urls: string[], private readonly provider: ItemUrlProvider, private readonly downloadTimeoutMs: number) {}

  formatInfo(): SourceFormatInfo {
    return { kind: 'item-url', notes: [`provider: ${this.provider.name}`] };
  }

  async count(): Promise<number> {
    return this.urls.length;
  }

  async *rows(from: number, signal?: AbortSignal): AsyncGenerator<SourceRow> {
    for (let index = from; index < this.urls.length; index++) {
      if (signal?.aborted) return;
      const parsed = parseItemUrl(this.urls[index]);
      if (!parsed) {
        yield { index, rowNo: index + 1, error: `"${this.urls[index].slice(0, 100)}" is not a Taobao or Tmall item URL (item.taobao.com/item.htm?id=… or detail.tmall.com/item.htm?id=…)` };
        continue;
      }
      try {
        const item = fromProviderItem(await this.provider.fetchItem(parsed.url, signal));
        if (!item.numId) item.numId = parsed.numIid;
        yield { index, rowNo: index + 1, item };
      } catch (err) {
        if (signal?.aborted) return; // stopping: this URL is read again on resume
        if (err instanceof ItemUrlProviderError && err.fatal) throw new FatalSourceError(err.message, `provider_${err.code}`);
        yield { index, rowNo: index + 1, error: (err as Error).message, numId: parsed.numIid };
      }
    }
  }

  hasImage(): boolean | null {
    return null;
  }

  readImage(image: SourceImage, signal?: AbortSignal): Promise<{ data: Buffer } | { error: string }> {
    if (image.kind !== 'url') return Promise.resolve({ error: `picture ${image.name} has no URL` });
    return downloadImage(image.url, { timeoutMs: this.downloadTimeoutMs, signal });
  }

  async close(): Promise<void> {}
}
