/**
 * An emulator of a third-party item-URL collection service speaking the item JSON v1 protocol
 * (sources/item-url/item-url-provider.ts): GET /v1/item?url=<item URL> with `Authorization: Bearer <key>`
 * → `{ item }`, or `{ error: { code, message } }` with 401 (bad key), 404 (unknown item),
 * 429 (quota used up). Pictures are served under /img/.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseItemUrl, type ProviderItem } from '../sources/item-url/item-url-provider.js';
import { tinyJpeg } from '../testing/fixtures.js';

export interface ItemUrlEmulator {
  /** The endpoint to configure as itemUrlProviderUrl. */
  url: string;
  baseUrl: string;
  calls: string[];
  /** Calls left before 429 quota_exceeded (Infinity by default). */
  quota: number;
  close(): Promise<void>;
}

export async function startItemUrlEmulator(options: { key: string; items: ProviderItem[]; host?: string; port?: number }): Promise<ItemUrlEmulator> {
  let baseUrl = '';
  const emu: ItemUrlEmulator = { url: '', baseUrl: '', calls: [], quota: Infinity, close: async () => undefined };
  const abs = (u: string) => (u.startsWith('/') ? `${baseUrl}${u}` : u);
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://emulator');
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    if (u.pathname.startsWith('/img/')) {
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end(tinyJpeg(decodeURIComponent(u.pathname.slice(5))));
      return;
    }
    if (u.pathname !== '/v1/item') return send(404, { error: { code: 'no_route', message: 'GET /v1/item?url=…' } });
    const target = u.searchParams.get('url') ?? '';
    emu.calls.push(target);
    if (req.headers.authorization !== `Bearer ${options.key}`) return send(401, { error: { code: 'unauthorized', message: 'invalid API key' } });
    if (emu.quota <= 0) return send(429, { error: { code: 'quota_exceeded', message: 'no calls left on this account' } });
    emu.quota--;
    const parsed = parseItemUrl(target);
    if (!parsed) return send(400, { error: { code: 'invalid_url', message: 'not a Taobao/Tmall item URL' } });
    const item = options.items.find((i) => i.numIid === parsed.numIid);
    if (!item) return send(404, { error: { code: 'not_found', message: `item ${parsed.numIid} not found or no longer on sale` } });
    send(200, { item: { ...item, images: (item.images ?? []).map(abs), skus: item.skus?.map((s) => ({ ...s, image: s.image ? abs(s.image) : undefined })) } });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  baseUrl = `http://${host}:${(server.address() as AddressInfo).port}`;
  emu.baseUrl = baseUrl;
  emu.url = `${baseUrl}/v1/item`;
  emu.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return emu;
}
