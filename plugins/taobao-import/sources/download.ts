import { MAX_IMAGE_BYTES } from './csv/assistant-source.js';

/**
 * Downloads an image the source only knows by URL (TOP item_imgs, provider items): http(s) only,
 * with a time limit and a size cap, read as a stream so an endless body cannot fill memory.
 */
export async function downloadImage(url: string, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<{ data: Buffer } | { error: string }> {
  let u: URL;
  try {
    u = new URL(url.startsWith('//') ? `https:${url}` : url);
  } catch {
    return { error: `picture URL "${url.slice(0, 100)}" is not a URL` };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { error: `picture URL ${u.href.slice(0, 100)} is not http(s)` };
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  try {
    const res = await fetch(u, { signal: opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout, headers: { accept: 'image/*' } });
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => undefined);
      return { error: `picture ${u.href.slice(0, 100)} answered HTTP ${res.status}` };
    }
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > MAX_IMAGE_BYTES) {
      await res.body.cancel().catch(() => undefined);
      return { error: `picture ${u.href.slice(0, 100)} is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB` };
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > MAX_IMAGE_BYTES) return { error: `picture ${u.href.slice(0, 100)} is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB` };
      chunks.push(Buffer.from(chunk));
    }
    return { data: Buffer.concat(chunks) };
  } catch (err) {
    return { error: `picture ${u.href.slice(0, 100)} could not be downloaded: ${(err as Error).message}` };
  }
}
