import { createHash } from 'node:crypto';
import { Aes, Formatter, Rsa, Wechatpay } from 'wechatpay-axios-plugin';
import type { WechatpayConfig } from './config.service.js';

/** An answer of WeChat Pay other than 2xx (or one we could not verify): status, code and message. */
export class WechatpayApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(`${code}: ${message}`);
    this.name = 'WechatpayApiError';
  }
}

/** Why a notification was refused (logged; the answer is a 4xx with {code:'FAIL'}). */
export class NotificationRefused extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
    this.name = 'NotificationRefused';
  }
}

interface AxiosLikeError {
  code?: string;
  message: string;
  response?: { status: number; data?: unknown };
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string {
  const v = headers[name.toLowerCase()] ?? headers[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

export interface VerifiedNotification {
  id: string;
  eventType: string;
  createTime: string;
  resource: Record<string, unknown>;
}

/**
 * WeChat Pay APIv3 through `wechatpay-axios-plugin`: requests signed with the merchant key, answers
 * verified against the WeChat Pay public key / platform certificate (the library refuses a bad or
 * stale signature). One client per configuration.
 */
export class WechatpayApi {
  private readonly client: Wechatpay;

  constructor(readonly cfg: WechatpayConfig) {
    this.client = new Wechatpay({
      mchid: cfg.mchid,
      serial: cfg.serial,
      privateKey: cfg.privateKey,
      certs: { [cfg.platformSerial]: cfg.platformKey },
      baseURL: `${cfg.apiBase}/`,
      timeout: 10_000,
    } as ConstructorParameters<typeof Wechatpay>[0]);
  }

  /** One signed call; resolves with the verified JSON answer (null for 204). */
  async call<T = Record<string, unknown>>(method: 'GET' | 'POST', path: string, body?: Record<string, unknown>): Promise<T> {
    try {
      const res = await this.client.client.v3.request({ method, url: path.replace(/^\//, ''), ...(body ? { data: body } : {}) });
      return (res.status === 204 || res.data === '' ? null : res.data) as T;
    } catch (err) {
      throw WechatpayApi.asApiError(err as AxiosLikeError);
    }
  }

  /** Downloads a bill file (not signed: checked against the hash the bill API gave). */
  async download(url: string, sha1: string): Promise<string> {
    const u = new URL(url);
    try {
      const res = await this.client.client.v3.request({ method: 'GET', url: u.pathname.replace(/^\//, ''), params: Object.fromEntries(u.searchParams), responseType: 'arraybuffer' });
      const buf = Buffer.from(res.data as ArrayBuffer);
      if (sha1 && createHash('sha1').update(buf).digest('hex') !== sha1.toLowerCase()) throw new WechatpayApiError(0, 'BILL_HASH_MISMATCH', '账单文件摘要不符');
      return buf.toString('utf8');
    } catch (err) {
      if (err instanceof WechatpayApiError) throw err;
      throw WechatpayApi.asApiError(err as AxiosLikeError);
    }
  }

  static asApiError(err: AxiosLikeError): WechatpayApiError {
    if (err.code?.startsWith('EV3_')) return new WechatpayApiError(err.response?.status ?? 0, 'RESPONSE_NOT_VERIFIED', `应答签名验证失败（${err.code}）`);
    if (err.response) {
      const d = err.response.data as { code?: unknown; message?: unknown } | undefined;
      return new WechatpayApiError(err.response.status, typeof d?.code === 'string' ? d.code : `HTTP_${err.response.status}`, typeof d?.message === 'string' ? d.message : err.message);
    }
    return new WechatpayApiError(0, 'NETWORK_ERROR', err.message);
  }

  /** Verifies a notification's headers and decrypts its resource; throws NotificationRefused. */
  verifyNotification(headers: Record<string, string | string[] | undefined>, rawBody: string, now = Date.now()): VerifiedNotification {
    const timestamp = header(headers, 'Wechatpay-Timestamp');
    const nonce = header(headers, 'Wechatpay-Nonce');
    const signature = header(headers, 'Wechatpay-Signature');
    const serial = header(headers, 'Wechatpay-Serial');
    if (!timestamp || !nonce || !signature || !serial) throw new NotificationRefused('missing_headers', 'Wechatpay-Timestamp/Nonce/Signature/Serial headers are missing');
    if (serial !== this.cfg.platformSerial) throw new NotificationRefused('unknown_serial', `Wechatpay-Serial ${serial} is not the configured ${this.cfg.verifyMode === 'public_key' ? 'public key id' : 'platform certificate serial'}`);
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now / 1000 - Number(timestamp)) > 300) throw new NotificationRefused('stale_timestamp', `Wechatpay-Timestamp ${timestamp} is more than 5 minutes from now`);
    let ok = false;
    try {
      ok = Rsa.verify(Formatter.response(timestamp, nonce, rawBody), signature, Rsa.from(this.cfg.platformKey, Rsa.KEY_TYPE_PUBLIC));
    } catch {
      ok = false;
    }
    if (!ok) throw new NotificationRefused('bad_signature', 'the notification signature does not verify');
    let body: { id?: unknown; event_type?: unknown; create_time?: unknown; resource?: { algorithm?: unknown; ciphertext?: unknown; nonce?: unknown; associated_data?: unknown } };
    try {
      body = JSON.parse(rawBody) as typeof body;
    } catch {
      throw new NotificationRefused('bad_body', 'the notification body is not JSON');
    }
    const r = body.resource;
    if (!r || r.algorithm !== 'AEAD_AES_256_GCM' || typeof r.ciphertext !== 'string' || typeof r.nonce !== 'string') throw new NotificationRefused('bad_resource', 'the notification has no AEAD_AES_256_GCM resource');
    let resource: Record<string, unknown>;
    try {
      resource = JSON.parse(Aes.AesGcm.decrypt(r.ciphertext, Buffer.from(this.cfg.apiV3Key), r.nonce, typeof r.associated_data === 'string' ? r.associated_data : '')) as Record<string, unknown>;
    } catch {
      throw new NotificationRefused('decrypt_failed', 'the resource does not decrypt with the APIv3 key');
    }
    return { id: String(body.id ?? ''), eventType: String(body.event_type ?? ''), createTime: String(body.create_time ?? ''), resource };
  }

  /** The parameters WeixinJSBridge getBrandWCPayRequest / wx.chooseWXPay need for a prepay id. */
  jsapiParams(prepayId: string, timeStamp = String(Math.floor(Date.now() / 1000)), nonceStr = Formatter.nonce(32)): Record<string, string> {
    const pkg = `prepay_id=${prepayId}`;
    const paySign = Rsa.sign(Formatter.joinedByLineFeed(this.cfg.appid, timeStamp, nonceStr, pkg), Rsa.from(this.cfg.privateKey, Rsa.KEY_TYPE_PRIVATE));
    return { appId: this.cfg.appid, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
  }
}

/** RFC 3339 in China time (+08:00), as WeChat Pay expects time_expire. */
export function rfc3339China(d: Date): string {
  const t = new Date(d.getTime() + 8 * 3600_000);
  return `${t.toISOString().slice(0, 19)}+08:00`;
}
