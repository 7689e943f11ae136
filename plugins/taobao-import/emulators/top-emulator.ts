/**
 * An emulator of the Taobao Open Platform gateway (/router/rest) for tests and a sandbox demo: a small
 * node:http server that checks every request the way the platform documents it — required system
 * parameters, a timestamp within 10 minutes (GMT+8), the md5 / hmac / hmac-sha256 signature over the
 * sorted parameters, the session — and answers in TOP's JSON shapes: `<method>_response` on success,
 * `error_response { code, msg, sub_code, sub_msg, request_id }` otherwise.
 *
 * Methods: taobao.items.onsale.get (paging), taobao.item.seller.get, taobao.itemcats.get.
 * Faults can be injected: rate limits (code 7), remote errors (15), missing permissions (11),
 * expired sessions (27), items that no longer exist.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseTopTimestamp, signTopRequest, TOP_SIGN_METHODS, type TopSignMethod } from '../sources/top/top-sign.js';
import type { TopItem } from '../sources/top/top-source.js';
import { tinyJpeg } from '../testing/fixtures.js';

export interface TopEmulatorOptions {
  appKey: string;
  appSecret: string;
  /** session → seller nick; `expired` sessions answer 27 as an expired SessionKey does. */
  sessions: Record<string, { nick: string; expired?: boolean }>;
  /** The shop's items with full detail. Image URLs starting with "/" are served by the emulator. */
  items: TopItem[];
  /** Methods this app has no permission for (error 11). */
  forbiddenMethods?: string[];
  /** Category names for taobao.itemcats.get. */
  categoryNames?: Record<string, string>;
  /** Accepted clock difference; the platform allows 10 minutes. */
  maxSkewMs?: number;
  /** Where to listen (default 127.0.0.1, a free port). */
  host?: string;
  port?: number;
}

export interface TopCall {
  method: string;
  params: Record<string, string>;
  error: number | null;
}

export type TopFault = 'rate-limit' | 'unavailable' | 'item-missing';

export interface TopEmulator {
  /** Gateway URL, e.g. http://127.0.0.1:43210/router/rest */
  url: string;
  /** Base URL (for pictures). */
  baseUrl: string;
  calls: TopCall[];
  options: TopEmulatorOptions;
  /** The next `times` calls of `method` (optionally only for one num_iid) fail with the fault. */
  inject(method: string, fault: TopFault, times?: number, numIid?: string): void;
  close(): Promise<void>;
}

interface TopError {
  code: number;
  msg: string;
  sub_code?: string;
  sub_msg?: string;
}

const SESSION_METHODS = new Set(['taobao.items.onsale.get', 'taobao.item.seller.get']);
const METHODS = new Set(['taobao.items.onsale.get', 'taobao.item.seller.get', 'taobao.itemcats.get']);

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > 1024 * 1024) throw new Error('body too large');
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function pick(item: TopItem, fields: string[], base: string): Record<string, unknown> {
  const abs = (u: string) => (u.startsWith('/') ? `${base}${u}` : u);
  const out: Record<string, unknown> = { num_iid: Number(item.num_iid) };
  for (const f of fields) {
    const key = f === 'item_img' ? 'item_imgs' : f === 'prop_img' ? 'prop_imgs' : f === 'sku' ? 'skus' : f;
    const value = (item as unknown as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (key === 'item_imgs') out[key] = { item_img: (item.item_imgs?.item_img ?? []).map((i) => ({ ...i, url: abs(i.url) })) };
    else if (key === 'prop_imgs') out[key] = { prop_img: (item.prop_imgs?.prop_img ?? []).map((i) => ({ ...i, url: abs(i.url) })) };
    else if (key === 'pic_url') out[key] = abs(String(value));
    else out[key] = value;
  }
  return out;
}

export async function startTopEmulator(options: TopEmulatorOptions): Promise<TopEmulator> {
  const calls: TopCall[] = [];
  const faults: Array<{ method: string; fault: TopFault; left: number; numIid?: string }> = [];
  let baseUrl = '';

  function check(p: Record<string, string>): TopError | null {
    if (!p.method) return { code: 21, msg: 'Missing Method' };
    if (!p.app_key) return { code: 28, msg: 'Missing App Key' };
    if (p.app_key !== options.appKey) return { code: 29, msg: 'Invalid App Key' };
    if (!p.v) return { code: 32, msg: 'Missing Version' };
    if (p.v !== '2.0') return { code: 33, msg: 'Invalid Version' };
    if (!p.timestamp) return { code: 30, msg: 'Missing Timestamp' };
    const at = parseTopTimestamp(p.timestamp);
    if (!at || Math.abs(at.getTime() - Date.now()) > (options.maxSkewMs ?? 600_000)) return { code: 31, msg: 'Invalid Timestamp', sub_msg: '时间戳非法，与服务器时间相差超过10分钟' };
    if (p.format && p.format !== 'json' && p.format !== 'xml') return { code: 23, msg: 'Invalid Format' };
    if (p.format !== 'json') return { code: 23, msg: 'Invalid Format', sub_msg: 'the emulator answers format=json only' };
    const method = (p.sign_method || 'md5') as TopSignMethod;
    if (!TOP_SIGN_METHODS.includes(method)) return { code: 25, msg: 'Invalid Signature', sub_msg: `unknown sign_method ${p.sign_method}` };
    if (!p.sign) return { code: 24, msg: 'Missing Signature' };
    if (signTopRequest(p, options.appSecret, method) !== p.sign.toUpperCase()) return { code: 25, msg: 'Invalid Signature' };
    if (!METHODS.has(p.method)) return { code: 22, msg: 'Invalid Method' };
    if (SESSION_METHODS.has(p.method)) {
      if (!p.session) return { code: 26, msg: 'Missing Session' };
      const s = options.sessions[p.session];
      if (!s) return { code: 27, msg: 'Invalid session', sub_code: 'invalid-sessionkey', sub_msg: 'SessionKey非法' };
      if (s.expired) return { code: 27, msg: 'Invalid session', sub_code: 'invalid-sessionkey', sub_msg: 'SessionKey已过期' };
    }
    if (options.forbiddenMethods?.includes(p.method)) return { code: 11, msg: 'Insufficient ISV Permissions', sub_code: 'isv.permission-api-package-limit', sub_msg: `scope ids is 11655 call api ${p.method} limited` };
    const fault = faults.find((f) => f.method === p.method && f.left > 0 && (!f.numIid || f.numIid === p.num_iid));
    if (fault) {
      fault.left--;
      if (fault.fault === 'rate-limit') return { code: 7, msg: 'App Call Limited', sub_code: 'accesscontrol.limited-by-app-access-count', sub_msg: 'This ban will last for 1 more seconds' };
      if (fault.fault === 'unavailable') return { code: 15, msg: 'Remote service error', sub_code: 'isp.top-remote-connection-timeout', sub_msg: '远程服务调用超时' };
      return { code: 15, msg: 'Remote service error', sub_code: 'isv.item-not-exist:invalid-numIid', sub_msg: '商品不存在' };
    }
    return null;
  }

  function answer(p: Record<string, string>): Record<string, unknown> | TopError {
    const fields = (p.fields ?? '').split(',').map((f) => f.trim()).filter(Boolean);
    switch (p.method) {
      case 'taobao.items.onsale.get': {
        if (!fields.length) return { code: 40, msg: 'Missing Required Arguments', sub_code: 'isv.missing-parameter:fields', sub_msg: 'fields 不能为空' };
        const pageNo = Number(p.page_no ?? 1);
        const pageSize = Number(p.page_size ?? 40);
        if (!Number.isInteger(pageNo) || pageNo < 1 || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 200) return { code: 41, msg: 'Invalid Arguments', sub_code: 'isv.invalid-parameter:page_size', sub_msg: 'page_size 取值范围 1-200' };
        const onsale = options.items.filter((i) => (i.approve_status ?? 'onsale') === 'onsale');
        const page = onsale.slice((pageNo - 1) * pageSize, pageNo * pageSize).map((i) => pick(i, fields, baseUrl));
        return { items_onsale_get_response: { total_results: onsale.length, ...(page.length ? { items: { item: page } } : {}) } };
      }
      case 'taobao.item.seller.get': {
        if (!fields.length || !p.num_iid) return { code: 40, msg: 'Missing Required Arguments', sub_code: `isv.missing-parameter:${!fields.length ? 'fields' : 'num_iid'}` };
        const item = options.items.find((i) => String(i.num_iid) === p.num_iid);
        if (!item) return { code: 15, msg: 'Remote service error', sub_code: 'isv.item-not-exist:invalid-numIid', sub_msg: `商品 ${p.num_iid} 不存在` };
        return { item_seller_get_response: { item: pick(item, fields, baseUrl) } };
      }
      case 'taobao.itemcats.get': {
        const cids = (p.cids ?? '').split(',').filter(Boolean);
        const cats = cids.filter((c) => options.categoryNames?.[c]).map((c) => ({ cid: Number(c), name: options.categoryNames![c], parent_cid: 0, is_parent: false }));
        return { itemcats_get_response: cats.length ? { item_cats: { item_cat: cats } } : {} };
      }
    }
    return { code: 22, msg: 'Invalid Method' };
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const u = new URL(req.url ?? '/', 'http://emulator');
    if (req.method === 'GET' && u.pathname.startsWith('/img/')) {
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end(tinyJpeg(decodeURIComponent(u.pathname.slice(5))));
      return;
    }
    const params: Record<string, string> = {};
    for (const [k, v] of u.searchParams) params[k] = v;
    if (req.method === 'POST') for (const [k, v] of new URLSearchParams(await readBody(req))) params[k] = v;
    const requestId = randomBytes(6).toString('hex');
    const error = check(params);
    const body = error ?? answer(params);
    const isError = 'code' in body && typeof body.code === 'number';
    calls.push({ method: params.method ?? '', params, error: isError ? (body as TopError).code : null });
    const json = isError ? { error_response: { ...(body as TopError), request_id: requestId } } : addRequestId(body as Record<string, unknown>, requestId);
    res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' }).end(JSON.stringify(json));
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => res.writeHead(500).end(String(err)));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  baseUrl = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    url: `${baseUrl}/router/rest`,
    baseUrl,
    calls,
    options,
    inject(method, fault, times = 1, numIid) {
      faults.push({ method, fault, left: times, numIid });
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function addRequestId(body: Record<string, unknown>, requestId: string): Record<string, unknown> {
  const [key] = Object.keys(body);
  return { [key]: { ...(body[key] as Record<string, unknown>), request_id: requestId } };
}

/** A plausible shop for the emulator: `n` on-sale items, every other one with colour × size SKUs. */
export function emulatorShop(n: number, opts: { startNumIid?: number; priceBump?: number } = {}): TopItem[] {
  const start = opts.startNumIid ?? 700_000_000_001;
  return Array.from({ length: n }, (_, i) => {
    const id = start + i;
    const price = ((2990 + i * 100 + (opts.priceBump ?? 0)) / 100).toFixed(2);
    const item: TopItem = {
      num_iid: id,
      title: `开放平台宝贝 ${i + 1}`,
      sell_point: '官方正品',
      price,
      num: 20,
      cid: i % 2 ? 50000671 : 162104,
      seller_cids: `,${2000 + (i % 3)},`,
      outer_id: `TOP-${i + 1}`,
      desc: `<p>开放平台宝贝 ${i + 1}</p><script>alert(1)</script>`,
      approve_status: 'onsale',
      pic_url: `/img/top-${id}-0.jpg`,
      item_imgs: { item_img: [{ url: `/img/top-${id}-0.jpg`, position: 0 }, { url: `/img/top-${id}-1.jpg`, position: 1 }] },
    };
    if (i % 2 === 0) {
      item.skus = {
        sku: [
          { sku_id: id * 10 + 1, properties: '1627207:28320;20509:28315', properties_name: '1627207:28320:颜色分类:白色;20509:28315:尺码:M', price, quantity: 8, outer_id: `TOP-${i + 1}-W-M` },
          { sku_id: id * 10 + 2, properties: '1627207:28320;20509:28316', properties_name: '1627207:28320:颜色分类:白色;20509:28316:尺码:L', price, quantity: 4, outer_id: `TOP-${i + 1}-W-L` },
          { sku_id: id * 10 + 3, properties: '1627207:28341;20509:28315', properties_name: '1627207:28341:颜色分类:黑色;20509:28315:尺码:M', price, quantity: 0, outer_id: `TOP-${i + 1}-K-M` },
        ],
      };
      item.property_alias = '1627207:28341:经典黑;';
      item.prop_imgs = { prop_img: [{ properties: '1627207:28320', url: `/img/top-${id}-white.jpg` }] };
    }
    return item;
  });
}
