import { signTopRequest, topTimestamp, type TopSignMethod } from './top-sign.js';

/** The body of a TOP `error_response`. */
export interface TopErrorBody {
  code: number;
  msg: string;
  sub_code?: string;
  sub_msg?: string;
  request_id?: string;
}

export type TopErrorKind = 'session' | 'permission' | 'rate-limit' | 'signature' | 'app-key' | 'timestamp' | 'arguments' | 'unavailable' | 'item' | 'other';

/** Kinds after which no further call can succeed until the merchant fixes something. */
const FATAL_KINDS: ReadonlySet<TopErrorKind> = new Set(['session', 'permission', 'signature', 'app-key', 'timestamp']);

/** A TOP error with a message a merchant can act on; `raw` is what the gateway said. */
export class TopApiError extends Error {
  constructor(
    readonly kind: TopErrorKind,
    message: string,
    readonly method: string,
    readonly raw: TopErrorBody | null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'TopApiError';
  }

  /** True when the whole import must stop (the next call would fail the same way). */
  get fatal(): boolean {
    return FATAL_KINDS.has(this.kind);
  }
}

function said(e: TopErrorBody): string {
  const sub = e.sub_code ? ` / ${e.sub_code}${e.sub_msg ? `: ${e.sub_msg}` : ''}` : e.sub_msg ? `: ${e.sub_msg}` : '';
  return `TOP ${e.code} ${e.msg}${sub}${e.request_id ? ` (request ${e.request_id})` : ''}`;
}

/** Classifies an error_response and words it for the merchant. */
export function describeTopError(method: string, e: TopErrorBody): TopApiError {
  const sub = (e.sub_code ?? '').toLowerCase();
  const tail = ` [${said(e)}]`;
  if (e.code === 26 || e.code === 27 || /session/.test(sub)) {
    return new TopApiError('session', `淘宝授权失效 — the Taobao session (SessionKey) is missing, invalid or expired: authorise the app for the shop again and paste the new session into the plugin settings (插件 → 淘宝商品搬家)${tail}`, method, e);
  }
  if (e.code === 11 || e.code === 12 || e.code === 13 || /permission/.test(sub)) {
    return new TopApiError('permission', `缺少接口权限 — the app may not call ${method}: add the API (item management package) to the app in the Taobao Open Platform console, or use an app that has it${tail}`, method, e);
  }
  if (e.code === 7 || sub.startsWith('accesscontrol.')) {
    const m = /(\d+)\s*more\s*seconds?/i.exec(e.sub_msg ?? '') ?? /(\d+)\s*秒/.exec(e.sub_msg ?? '');
    const wait = m ? Number(m[1]) * 1000 : null;
    return new TopApiError('rate-limit', `调用频率超限 — Taobao is limiting how often this app may call ${method}${wait ? ` (for ${Math.round(wait / 1000)} s)` : ''}; the import waits and retries, or resume it later${tail}`, method, e, wait);
  }
  if (e.code === 24 || e.code === 25) {
    return new TopApiError('signature', `签名错误 — Taobao rejected the request signature: check the App Secret and the sign method in the plugin settings${tail}`, method, e);
  }
  if (e.code === 28 || e.code === 29) {
    return new TopApiError('app-key', `AppKey 无效 — Taobao does not know this App Key: check it in the plugin settings${tail}`, method, e);
  }
  if (e.code === 30 || e.code === 31) {
    return new TopApiError('timestamp', `时间戳错误 — Taobao refused the request time: the server clock must be within 10 minutes of China time${tail}`, method, e);
  }
  if (e.code === 10 || (e.code === 15 && sub.startsWith('isp.'))) {
    return new TopApiError('unavailable', `淘宝服务暂不可用 — the Taobao service is unavailable right now; retry later${tail}`, method, e);
  }
  if (e.code === 15 && sub.startsWith('isv.')) {
    return new TopApiError('item', `${e.sub_msg || e.msg}${tail}`, method, e);
  }
  if (e.code === 40 || e.code === 41 || e.code === 43) {
    return new TopApiError('arguments', `参数错误 — Taobao refused the arguments of ${method}${tail}`, method, e);
  }
  return new TopApiError('other', `淘宝接口错误 — ${method} failed${tail}`, method, e);
}

export interface TopClientOptions {
  /** e.g. https://eco.taobao.com/router/rest (or the emulator's URL). */
  gatewayUrl: string;
  appKey: string;
  appSecret: string;
  session: string;
  signMethod: TopSignMethod;
  timeoutMs?: number;
  /** Retries of rate-limited and unavailable calls. */
  maxRetries?: number;
  /** First wait between retries; doubles each time (rate limits wait as long as Taobao says). */
  retryBaseMs?: number;
  /** Longest single wait. */
  maxWaitMs?: number;
}

/** Calls the TOP gateway: signs, posts as a form, unwraps `<method>_response`, maps `error_response`. */
export class TopClient {
  private readonly opts: Required<TopClientOptions>;

  constructor(options: TopClientOptions) {
    this.opts = { timeoutMs: 20_000, maxRetries: 3, retryBaseMs: 1000, maxWaitMs: 30_000, ...options };
  }

  /** The params of a call, signed (exposed for tests and the docs' example). */
  signedParams(method: string, params: Record<string, string | number | undefined>, at = new Date()): Record<string, string> {
    const all: Record<string, string> = {
      method,
      app_key: this.opts.appKey,
      session: this.opts.session,
      timestamp: topTimestamp(at),
      format: 'json',
      v: '2.0',
      sign_method: this.opts.signMethod,
    };
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') all[k] = String(v);
    if (!all.session) delete all.session;
    all.sign = signTopRequest(all, this.opts.appSecret, this.opts.signMethod);
    return all;
  }

  async call<T = Record<string, unknown>>(method: string, params: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(method, params, signal);
      } catch (err) {
        if (!(err instanceof TopApiError) || (err.kind !== 'rate-limit' && err.kind !== 'unavailable') || attempt >= this.opts.maxRetries || signal?.aborted) throw err;
        const wait = Math.min(this.opts.maxWaitMs, err.retryAfterMs ?? this.opts.retryBaseMs * 2 ** attempt);
        await sleep(wait, signal);
      }
    }
  }

  private async once<T>(method: string, params: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<T> {
    const body = new URLSearchParams(this.signedParams(method, params)).toString();
    let res: Response;
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    try {
      res = await fetch(this.opts.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', accept: 'application/json' },
        body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      throw new TopApiError('unavailable', `无法连接淘宝开放平台 — cannot reach the TOP gateway ${this.opts.gatewayUrl}: ${(err as Error).message}`, method, null);
    }
    const text = await res.text();
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      const kind = res.status >= 500 ? 'unavailable' : 'other';
      throw new TopApiError(kind, `the TOP gateway answered HTTP ${res.status} with something that is not JSON: ${text.slice(0, 120)}`, method, null);
    }
    if (json.error_response && typeof json.error_response === 'object') throw describeTopError(method, json.error_response as TopErrorBody);
    const key = `${method.replace(/^taobao\./, '').replace(/\./g, '_')}_response`;
    const payload = json[key];
    if (!payload || typeof payload !== 'object') throw new TopApiError('other', `the TOP gateway's answer to ${method} has no ${key}`, method, null);
    return payload as T;
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
