import { createCipheriv, createHash, createPublicKey, createSign, createVerify, generateKeyPairSync, randomBytes, randomUUID, X509Certificate, type KeyObject } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A local stand-in for WeChat Pay's APIv3 (api.mch.weixin.qq.com), written from the public documents
 * with node:crypto only (independent of the npm library the plugin uses, so the two check each other):
 *
 * - every request must carry `Authorization: WECHATPAY2-SHA256-RSA2048 mchid=…,nonce_str=…,timestamp=…,serial_no=…,signature=…`
 *   signed over "METHOD\nPATH?QUERY\ntimestamp\nnonce\nbody\n" with the merchant's private key;
 * - every answer and notification is signed over "timestamp\nnonce\nbody\n" with the platform key and
 *   carries Wechatpay-Timestamp / -Nonce / -Serial / -Signature (serial = PUB_KEY_ID_… in public-key
 *   mode, the platform certificate's serial in certificate mode);
 * - notification resources are AEAD_AES_256_GCM-encrypted with the merchant's APIv3 key.
 *
 * Endpoints: JSAPI prepay, query / close by out_trade_no, domestic refunds (+ query), merchant transfer
 * bills (商家转账, with WAIT_USER_CONFIRM), the trade bill (+ download), and a cashier page that stands in
 * for the WeChat pay sheet outside WeChat.
 */

export type VerifyMode = 'public_key' | 'platform_certificate';

export interface EmulatorMerchantInput {
  mchid: string;
  appid: string;
  /** Serial of the merchant API certificate (what the merchant sends as serial_no). */
  serial: string;
  /** The merchant's public key (PEM): verifies its request signatures. */
  merchantPublicKey: string;
  apiV3Key: string;
}

export interface EmulatorTransaction {
  mchid: string;
  appid: string;
  outTradeNo: string;
  prepayId: string;
  description: string;
  total: number;
  openid: string;
  notifyUrl: string;
  timeExpire: string | null;
  state: 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';
  transactionId: string | null;
  successTime: string | null;
  refunded: number;
}

export interface EmulatorRefund {
  mchid: string;
  outTradeNo: string;
  transactionId: string;
  outRefundNo: string;
  refundId: string;
  refund: number;
  total: number;
  status: 'PROCESSING' | 'SUCCESS' | 'ABNORMAL' | 'CLOSED';
  notifyUrl: string | null;
  createTime: string;
  successTime: string | null;
}

export interface EmulatorTransfer {
  mchid: string;
  appid: string;
  outBillNo: string;
  transferBillNo: string;
  openid: string;
  amount: number;
  remark: string;
  sceneId: string;
  notifyUrl: string | null;
  state: 'ACCEPTED' | 'WAIT_USER_CONFIRM' | 'TRANSFERING' | 'SUCCESS' | 'FAIL' | 'CANCELLED';
  packageInfo: string;
  failReason: string | null;
  createTime: string;
  updateTime: string;
}

export interface Delivery {
  url: string;
  eventType: string;
  status: number | null;
  dropped: boolean;
  body: string;
}

export interface SignedMessage {
  headers: Record<string, string>;
  body: string;
}

export interface NotificationOverrides {
  timestamp?: number;
  nonce?: string;
  serial?: string;
  /** Sign with another key (a forger's). */
  signWith?: KeyObject;
  /** Encrypt with another APIv3 key. */
  apiV3Key?: string;
  /** Replace the signature outright. */
  signature?: string;
  id?: string;
}

export interface EmulatorOptions {
  mode?: VerifyMode;
  /** Maps a notify_url before delivery (tests: the mall's PUBLIC_URL → where it listens). */
  rewriteUrl?: (url: string) => string;
  /** Deliver notifications as soon as the event happens (default true). */
  autoNotify?: boolean;
}

/** RFC 3339 in China time, as WeChat Pay writes it: 2025-01-22T15:44:23+08:00. */
export function rfc3339China(d: Date): string {
  const t = new Date(d.getTime() + 8 * 3600_000);
  return `${t.toISOString().slice(0, 19)}+08:00`;
}

function nonceStr(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

function digits(n: number): string {
  let s = '';
  while (s.length < n) s += String(randomBytes(4).readUInt32BE(0));
  return s.slice(0, n);
}

class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** Parses `WECHATPAY2-SHA256-RSA2048 k="v",k="v"`. */
export function parseAuthorization(header: string): Record<string, string> | null {
  const m = /^WECHATPAY2-SHA256-RSA2048\s+(.+)$/.exec(header.trim());
  if (!m) return null;
  const out: Record<string, string> = {};
  for (const part of m[1].matchAll(/(\w+)="([^"]*)"/g)) out[part[1]] = part[2];
  return out;
}

export class WechatpayEmulator {
  readonly mode: VerifyMode;
  readonly platformKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  /** PUB_KEY_ID_… (public-key mode). */
  readonly publicKeyId = `PUB_KEY_ID_0114${digits(36)}`;
  /** The platform public key as PEM (what the merchant downloads in public-key mode). */
  readonly platformPublicKeyPem: string;
  /** A self-signed platform certificate (certificate mode; made with openssl when available). */
  platformCertificatePem: string | null = null;
  platformCertificateSerial: string | null = null;
  readonly merchants = new Map<string, EmulatorMerchantInput>();
  readonly transactions = new Map<string, EmulatorTransaction>();
  readonly refunds = new Map<string, EmulatorRefund>();
  readonly transfers = new Map<string, EmulatorTransfer>();
  readonly deliveries: Delivery[] = [];
  /** Notifications to drop (not send) before sending again: the lost-notification test. */
  dropNotifications = 0;
  /** openids whose transfers fail at once with this reason. */
  readonly failingPayees = new Map<string, string>();
  requests: Array<{ method: string; path: string; status: number }> = [];
  private server: Server | null = null;
  private readonly rewriteUrl: (url: string) => string;
  private readonly autoNotify: boolean;
  private readonly pending = new Set<Promise<unknown>>();
  baseUrl = '';

  constructor(opts: EmulatorOptions = {}) {
    this.mode = opts.mode ?? 'public_key';
    this.rewriteUrl = opts.rewriteUrl ?? ((u) => u);
    this.autoNotify = opts.autoNotify ?? true;
    this.platformPublicKeyPem = this.platformKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    if (this.mode === 'platform_certificate') this.makeCertificate();
  }

  /** True when openssl is on the PATH (certificate mode needs it to make the certificate). */
  static canMakeCertificates(): boolean {
    return spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;
  }

  /** The serial the platform signs with: the public key id, or the certificate's serial. */
  get platformSerial(): string {
    return this.mode === 'public_key' ? this.publicKeyId : this.platformCertificateSerial!;
  }

  /** What the merchant configures as "WeChat Pay public key / platform certificate". */
  get platformVerifierPem(): string {
    return this.mode === 'public_key' ? this.platformPublicKeyPem : this.platformCertificatePem!;
  }

  registerMerchant(m: EmulatorMerchantInput): void {
    if (Buffer.byteLength(m.apiV3Key) !== 32) throw new Error('the APIv3 key must be 32 bytes');
    this.merchants.set(m.mchid, m);
  }

  async start(port = 0, host = '127.0.0.1'): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    const addr = this.server.address() as AddressInfo;
    this.baseUrl = `http://${host}:${addr.port}`;
  }

  async stop(): Promise<void> {
    await this.settle();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections?.();
    this.server = null;
  }

  /** Waits for notifications in flight. */
  async settle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  // -------------------------------------------------------------------------------------------
  // signing, encryption
  // -------------------------------------------------------------------------------------------

  /** Signs a body as WeChat Pay does its answers and notifications. */
  sign(body: string, o: NotificationOverrides = {}): Record<string, string> {
    const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = o.nonce ?? nonceStr();
    const signature = o.signature ?? createSign('RSA-SHA256').update(`${timestamp}\n${nonce}\n${body}\n`).sign(o.signWith ?? this.platformKeys.privateKey, 'base64');
    return {
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Serial': o.serial ?? this.platformSerial,
      'Wechatpay-Signature': signature,
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    };
  }

  /** AEAD_AES_256_GCM: base64(ciphertext ‖ 16-byte tag). */
  static encryptResource(plaintext: string, apiV3Key: string, nonce: string, associatedData: string): string {
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key), Buffer.from(nonce)).setAAD(Buffer.from(associatedData));
    return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64');
  }

  /** A complete notification (body + headers) for `resource`, signed and encrypted; overrides make bad ones. */
  notification(mchid: string, eventType: string, summary: string, originalType: string, resource: Record<string, unknown>, o: NotificationOverrides = {}): SignedMessage {
    const m = this.merchant(mchid);
    const nonce = randomBytes(6).toString('hex');
    const associatedData = originalType;
    const body = JSON.stringify({
      id: o.id ?? randomUUID(),
      create_time: rfc3339China(new Date()),
      resource_type: 'encrypt-resource',
      event_type: eventType,
      summary,
      resource: { original_type: originalType, algorithm: 'AEAD_AES_256_GCM', ciphertext: WechatpayEmulator.encryptResource(JSON.stringify(resource), o.apiV3Key ?? m.apiV3Key, nonce, associatedData), associated_data: associatedData, nonce },
    });
    return { headers: { ...this.sign(body, o), 'Content-Type': 'application/json' }, body };
  }

  /** The TRANSACTION.SUCCESS notification of a paid transaction (fields overridable for tampering tests). */
  paymentNotification(outTradeNo: string, fields: Record<string, unknown> = {}, o: NotificationOverrides = {}): SignedMessage {
    const tx = this.transaction(outTradeNo);
    return this.notification(tx.mchid, 'TRANSACTION.SUCCESS', '支付成功', 'transaction', { ...this.transactionView(tx), ...fields }, o);
  }

  // -------------------------------------------------------------------------------------------
  // test and cashier actions
  // -------------------------------------------------------------------------------------------

  transaction(outTradeNo: string): EmulatorTransaction {
    const tx = this.transactions.get(outTradeNo);
    if (!tx) throw new Error(`no transaction ${outTradeNo}`);
    return tx;
  }

  byPrepayId(prepayId: string): EmulatorTransaction | undefined {
    return [...this.transactions.values()].find((t) => t.prepayId === prepayId);
  }

  /** The shopper pays: the transaction succeeds and its notification is sent (unless dropped). */
  async pay(outTradeNo: string): Promise<Delivery | null> {
    const tx = this.transaction(outTradeNo);
    if (tx.state === 'CLOSED') throw new Error('the order is closed');
    if (tx.timeExpire && Date.parse(tx.timeExpire) < Date.now()) throw new Error('the order has expired');
    if (tx.state === 'NOTPAY') {
      tx.state = 'SUCCESS';
      tx.transactionId = `4200${digits(24)}`;
      tx.successTime = rfc3339China(new Date());
    }
    return this.deliver(tx.notifyUrl, 'TRANSACTION.SUCCESS', this.paymentNotification(outTradeNo));
  }

  /** The bank completes a refund: SUCCESS (or ABNORMAL) and its notification. */
  async completeRefund(outRefundNo: string, status: 'SUCCESS' | 'ABNORMAL' = 'SUCCESS'): Promise<Delivery | null> {
    const r = this.refunds.get(outRefundNo);
    if (!r) throw new Error(`no refund ${outRefundNo}`);
    r.status = status;
    r.successTime = status === 'SUCCESS' ? rfc3339China(new Date()) : null;
    if (!r.notifyUrl) return null;
    const eventType = status === 'SUCCESS' ? 'REFUND.SUCCESS' : 'REFUND.ABNORMAL';
    const msg = this.notification(r.mchid, eventType, status === 'SUCCESS' ? '退款成功' : '退款异常', 'refund', this.refundNotifyView(r));
    return this.deliver(r.notifyUrl, eventType, msg);
  }

  /** The payee confirms in WeChat (requestMerchantTransfer): the transfer succeeds. */
  async confirmTransfer(outBillNo: string): Promise<Delivery | null> {
    return this.finishTransfer(outBillNo, 'SUCCESS', null);
  }

  /** The transfer fails (e.g. the payee's account is restricted). */
  async failTransfer(outBillNo: string, reason: string): Promise<Delivery | null> {
    return this.finishTransfer(outBillNo, 'FAIL', reason);
  }

  private async finishTransfer(outBillNo: string, state: 'SUCCESS' | 'FAIL', reason: string | null): Promise<Delivery | null> {
    const t = this.transfers.get(outBillNo);
    if (!t) throw new Error(`no transfer ${outBillNo}`);
    if (t.state !== 'WAIT_USER_CONFIRM' && t.state !== 'ACCEPTED' && t.state !== 'TRANSFERING') throw new Error(`transfer ${outBillNo} is ${t.state}`);
    t.state = state;
    t.failReason = reason;
    t.updateTime = rfc3339China(new Date());
    if (!t.notifyUrl) return null;
    const msg = this.notification(t.mchid, 'MCHTRANSFER.BILL.FINISHED', '商家转账单据终态通知', 'mch_payment', this.transferNotifyView(t));
    return this.deliver(t.notifyUrl, 'MCHTRANSFER.BILL.FINISHED', msg);
  }

  /** Posts a message to the mall as WeChat Pay would; returns what happened. */
  async deliver(url: string, eventType: string, msg: SignedMessage): Promise<Delivery | null> {
    const d: Delivery = { url, eventType, status: null, dropped: false, body: msg.body };
    this.deliveries.push(d);
    if (this.dropNotifications > 0) {
      this.dropNotifications--;
      d.dropped = true;
      return d;
    }
    if (!this.autoNotify) return d;
    const p = fetch(this.rewriteUrl(url), { method: 'POST', headers: msg.headers, body: msg.body }).then(async (res) => {
      d.status = res.status;
      await res.text();
    }, () => {
      d.status = 0;
    });
    this.pending.add(p);
    await p;
    this.pending.delete(p);
    return d;
  }

  // -------------------------------------------------------------------------------------------
  // HTTP
  // -------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = (req.method ?? 'GET').toUpperCase();
    let status = 200;
    try {
      if (url.pathname.startsWith('/cashier/')) {
        status = await this.cashier(method, url, body, res);
        return;
      }
      if (url.pathname === '/v3/billdownload/file') {
        this.authenticate(req, method, url, body);
        const file = this.billFile(url.searchParams.get('token') ?? '');
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end(file); // downloads are not signed
        return;
      }
      const mchid = this.authenticate(req, method, url, body);
      const out = this.route(mchid, method, url, body ? (JSON.parse(body) as Record<string, unknown>) : {});
      status = out.status;
      this.reply(res, out.status, out.body);
    } catch (err) {
      if (err instanceof ApiError) {
        status = err.status;
        this.reply(res, err.status, { code: err.code, message: err.message });
      } else {
        status = 500;
        this.reply(res, 500, { code: 'SYSTEM_ERROR', message: String(err) });
      }
    } finally {
      this.requests.push({ method, path: `${url.pathname}${url.search}`, status });
    }
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    const text = status === 204 || body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Request-ID': randomUUID(), ...this.sign(text) }).end(text);
  }

  /** Checks the merchant's Authorization header; returns its mchid. */
  private authenticate(req: IncomingMessage, method: string, url: URL, body: string): string {
    const auth = parseAuthorization(String(req.headers.authorization ?? ''));
    if (!auth) throw new ApiError(401, 'SIGN_ERROR', 'Authorization 头缺失或格式不正确');
    const m = this.merchants.get(auth.mchid ?? '');
    if (!m) throw new ApiError(401, 'SIGN_ERROR', '商户号不存在或未开通 APIv3');
    if (auth.serial_no !== m.serial) throw new ApiError(401, 'SIGN_ERROR', '商户证书序列号有误');
    if (!/^\d+$/.test(auth.timestamp ?? '') || Math.abs(Date.now() / 1000 - Number(auth.timestamp)) > 300) throw new ApiError(401, 'SIGN_ERROR', '签名时间戳已过期');
    const message = `${method}\n${url.pathname}${url.search}\n${auth.timestamp}\n${auth.nonce_str}\n${body}\n`;
    const ok = createVerify('RSA-SHA256').update(message).verify(createPublicKey(m.merchantPublicKey), auth.signature ?? '', 'base64');
    if (!ok) throw new ApiError(401, 'SIGN_ERROR', '签名错误，请检查商户私钥与证书序列号');
    return m.mchid;
  }

  private merchant(mchid: string): EmulatorMerchantInput {
    const m = this.merchants.get(mchid);
    if (!m) throw new Error(`unknown merchant ${mchid}`);
    return m;
  }

  private route(mchid: string, method: string, url: URL, b: Record<string, unknown>): { status: number; body?: unknown } {
    const p = url.pathname;
    let m: RegExpExecArray | null;
    if (method === 'POST' && p === '/v3/pay/transactions/jsapi') return { status: 200, body: this.jsapi(mchid, b) };
    if (method === 'GET' && (m = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/.exec(p))) {
      if (url.searchParams.get('mchid') !== mchid) throw new ApiError(400, 'PARAM_ERROR', 'mchid 与请求签名的商户号不一致');
      const tx = this.transactions.get(decodeURIComponent(m[1]));
      if (!tx || tx.mchid !== mchid) throw new ApiError(404, 'ORDER_NOT_EXIST', '订单不存在');
      return { status: 200, body: this.transactionView(tx) };
    }
    if (method === 'POST' && (m = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)\/close$/.exec(p))) {
      if (b.mchid !== mchid) throw new ApiError(400, 'PARAM_ERROR', 'mchid 与请求签名的商户号不一致');
      const tx = this.transactions.get(decodeURIComponent(m[1]));
      if (!tx || tx.mchid !== mchid) throw new ApiError(404, 'ORDER_NOT_EXIST', '订单不存在');
      if (tx.state === 'SUCCESS' || tx.state === 'REFUND') throw new ApiError(400, 'ORDERPAID', '订单已支付，不能关闭');
      tx.state = 'CLOSED';
      return { status: 204 };
    }
    if (method === 'POST' && p === '/v3/refund/domestic/refunds') return { status: 200, body: this.createRefund(mchid, b) };
    if (method === 'GET' && (m = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/.exec(p))) {
      const r = this.refunds.get(decodeURIComponent(m[1]));
      if (!r || r.mchid !== mchid) throw new ApiError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
      return { status: 200, body: this.refundView(r) };
    }
    if (method === 'POST' && p === '/v3/fund-app/mch-transfer/transfer-bills') return { status: 200, body: this.createTransfer(mchid, b) };
    if (method === 'GET' && (m = /^\/v3\/fund-app\/mch-transfer\/transfer-bills\/out-bill-no\/([^/]+)$/.exec(p))) {
      const t = this.transfers.get(decodeURIComponent(m[1]));
      if (!t || t.mchid !== mchid) throw new ApiError(404, 'NOT_FOUND', '转账单不存在');
      return { status: 200, body: this.transferView(t) };
    }
    if (method === 'POST' && (m = /^\/v3\/fund-app\/mch-transfer\/transfer-bills\/out-bill-no\/([^/]+)\/cancel$/.exec(p))) {
      const t = this.transfers.get(decodeURIComponent(m[1]));
      if (!t || t.mchid !== mchid) throw new ApiError(404, 'NOT_FOUND', '转账单不存在');
      if (t.state !== 'WAIT_USER_CONFIRM' && t.state !== 'ACCEPTED') throw new ApiError(400, 'INVALID_REQUEST', '当前状态不可撤销');
      t.state = 'CANCELLED';
      t.updateTime = rfc3339China(new Date());
      return { status: 200, body: { out_bill_no: t.outBillNo, transfer_bill_no: t.transferBillNo, state: 'CANCELLED', update_time: t.updateTime } };
    }
    if (method === 'GET' && p === '/v3/bill/tradebill') return { status: 200, body: this.tradeBill(mchid, url) };
    throw new ApiError(404, 'NOT_FOUND', `没有这个接口 ${method} ${p}`);
  }

  private jsapi(mchid: string, b: Record<string, unknown>): { prepay_id: string } {
    const m = this.merchant(mchid);
    const amount = (b.amount ?? {}) as { total?: unknown; currency?: unknown };
    const payer = (b.payer ?? {}) as { openid?: unknown };
    for (const [k, v] of Object.entries({ appid: b.appid, mchid: b.mchid, description: b.description, out_trade_no: b.out_trade_no, notify_url: b.notify_url, 'payer.openid': payer.openid })) {
      if (typeof v !== 'string' || !v) throw new ApiError(400, 'PARAM_ERROR', `输入源“/body/${k}”映射到字段“${k}”必填性规则校验失败，此字段为必填项`);
    }
    if (!Number.isInteger(amount.total) || (amount.total as number) < 1) throw new ApiError(400, 'PARAM_ERROR', '订单金额 amount.total 必须为正整数（分）');
    if (amount.currency !== undefined && amount.currency !== 'CNY') throw new ApiError(400, 'PARAM_ERROR', '币种只支持 CNY');
    if (b.mchid !== mchid) throw new ApiError(400, 'PARAM_ERROR', 'mchid 与请求签名的商户号不一致');
    if (b.appid !== m.appid) throw new ApiError(400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
    if (!/^[A-Za-z0-9_\-|*]{6,32}$/.test(String(b.out_trade_no))) throw new ApiError(400, 'PARAM_ERROR', 'out_trade_no 只能是 6-32 位字母、数字、_-|*');
    if (!/^https?:\/\//.test(String(b.notify_url)) || String(b.notify_url).includes('?')) throw new ApiError(400, 'PARAM_ERROR', 'notify_url 必须是不带参数的 URL');
    if (b.time_expire !== undefined && (typeof b.time_expire !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$/.test(b.time_expire))) throw new ApiError(400, 'PARAM_ERROR', 'time_expire 必须是 RFC 3339 格式');
    const no = String(b.out_trade_no);
    const existing = this.transactions.get(no);
    if (existing) {
      if (existing.state === 'SUCCESS' || existing.state === 'REFUND') throw new ApiError(400, 'ORDERPAID', '该订单已支付');
      if (existing.state === 'CLOSED') throw new ApiError(400, 'ORDER_CLOSED', '当前订单已关闭，请重新下单');
      if (existing.total !== amount.total || existing.openid !== payer.openid) throw new ApiError(400, 'INVALID_REQUEST', '201 商户订单号重复');
      return { prepay_id: existing.prepayId };
    }
    const tx: EmulatorTransaction = {
      mchid, appid: String(b.appid), outTradeNo: no, prepayId: `wx${digits(8)}${randomBytes(12).toString('hex')}`, description: String(b.description), total: amount.total as number,
      openid: String(payer.openid), notifyUrl: String(b.notify_url), timeExpire: (b.time_expire as string | undefined) ?? null, state: 'NOTPAY', transactionId: null, successTime: null, refunded: 0,
    };
    this.transactions.set(no, tx);
    return { prepay_id: tx.prepayId };
  }

  transactionView(tx: EmulatorTransaction): Record<string, unknown> {
    const paid = tx.state === 'SUCCESS' || tx.state === 'REFUND';
    return {
      appid: tx.appid, mchid: tx.mchid, out_trade_no: tx.outTradeNo,
      ...(paid ? { transaction_id: tx.transactionId, trade_type: 'JSAPI', bank_type: 'OTHERS', success_time: tx.successTime } : {}),
      trade_state: tx.state,
      trade_state_desc: { NOTPAY: '未支付', SUCCESS: '支付成功', CLOSED: '已关闭', REFUND: '转入退款' }[tx.state],
      attach: '',
      payer: { openid: tx.openid },
      amount: paid ? { total: tx.total, payer_total: tx.total, currency: 'CNY', payer_currency: 'CNY' } : { total: tx.total, currency: 'CNY' },
    };
  }

  private createRefund(mchid: string, b: Record<string, unknown>): Record<string, unknown> {
    const amount = (b.amount ?? {}) as { refund?: unknown; total?: unknown; currency?: unknown };
    if (typeof b.out_refund_no !== 'string' || !b.out_refund_no) throw new ApiError(400, 'PARAM_ERROR', 'out_refund_no 必填');
    const tx = typeof b.transaction_id === 'string' ? [...this.transactions.values()].find((t) => t.transactionId === b.transaction_id) : typeof b.out_trade_no === 'string' ? this.transactions.get(b.out_trade_no) : undefined;
    if (!tx || tx.mchid !== mchid) throw new ApiError(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
    if (tx.state !== 'SUCCESS' && tx.state !== 'REFUND') throw new ApiError(400, 'INVALID_REQUEST', '订单未支付，不能退款');
    const existing = this.refunds.get(b.out_refund_no);
    if (existing) {
      if (existing.refund !== amount.refund) throw new ApiError(400, 'INVALID_REQUEST', '退款单号已存在，但退款金额不同');
      return this.refundView(existing);
    }
    if (!Number.isInteger(amount.refund) || (amount.refund as number) < 1) throw new ApiError(400, 'PARAM_ERROR', 'amount.refund 必须为正整数（分）');
    if (amount.total !== tx.total) throw new ApiError(400, 'PARAM_ERROR', 'amount.total 与订单金额不一致');
    if (amount.currency !== 'CNY') throw new ApiError(400, 'PARAM_ERROR', 'amount.currency 必须为 CNY');
    if (tx.refunded + (amount.refund as number) > tx.total) throw new ApiError(400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额');
    tx.refunded += amount.refund as number;
    tx.state = 'REFUND';
    const r: EmulatorRefund = {
      mchid, outTradeNo: tx.outTradeNo, transactionId: tx.transactionId!, outRefundNo: b.out_refund_no, refundId: `5030${digits(25)}`, refund: amount.refund as number, total: tx.total,
      status: 'PROCESSING', notifyUrl: typeof b.notify_url === 'string' ? b.notify_url : null, createTime: rfc3339China(new Date()), successTime: null,
    };
    this.refunds.set(r.outRefundNo, r);
    return this.refundView(r);
  }

  private refundView(r: EmulatorRefund): Record<string, unknown> {
    return {
      refund_id: r.refundId, out_refund_no: r.outRefundNo, transaction_id: r.transactionId, out_trade_no: r.outTradeNo, channel: 'ORIGINAL', user_received_account: '支付用户零钱',
      ...(r.successTime ? { success_time: r.successTime } : {}), create_time: r.createTime, status: r.status, funds_account: 'AVAILABLE',
      amount: { total: r.total, refund: r.refund, payer_total: r.total, payer_refund: r.refund, settlement_refund: r.refund, settlement_total: r.total, discount_refund: 0, currency: 'CNY', refund_fee: 0 },
    };
  }

  private refundNotifyView(r: EmulatorRefund): Record<string, unknown> {
    return {
      mchid: r.mchid, out_trade_no: r.outTradeNo, transaction_id: r.transactionId, out_refund_no: r.outRefundNo, refund_id: r.refundId, refund_status: r.status,
      ...(r.successTime ? { success_time: r.successTime } : {}), user_received_account: '支付用户零钱',
      amount: { total: r.total, refund: r.refund, payer_total: r.total, payer_refund: r.refund },
    };
  }

  private createTransfer(mchid: string, b: Record<string, unknown>): Record<string, unknown> {
    const m = this.merchant(mchid);
    for (const k of ['appid', 'out_bill_no', 'transfer_scene_id', 'openid', 'transfer_remark']) {
      if (typeof b[k] !== 'string' || !b[k]) throw new ApiError(400, 'PARAM_ERROR', `${k} 必填`);
    }
    if (b.appid !== m.appid) throw new ApiError(400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
    if (!Number.isInteger(b.transfer_amount) || (b.transfer_amount as number) < 10) throw new ApiError(400, 'PARAM_ERROR', '转账金额 transfer_amount 最低 0.1 元（10 分）');
    if (String(b.transfer_remark).length > 32) throw new ApiError(400, 'PARAM_ERROR', 'transfer_remark 最多 32 个字符');
    if (!Array.isArray(b.transfer_scene_report_infos) || !b.transfer_scene_report_infos.length) throw new ApiError(400, 'PARAM_ERROR', 'transfer_scene_report_infos 必填');
    if ((b.transfer_amount as number) >= 200_000 && !b.user_name) throw new ApiError(400, 'PARAM_ERROR', '转账金额 >= 2000 元时 user_name 必填');
    const no = String(b.out_bill_no);
    const existing = this.transfers.get(no);
    if (existing) {
      if (existing.amount !== b.transfer_amount || existing.openid !== b.openid) throw new ApiError(400, 'INVALID_REQUEST', '商户单号重复，但参数不一致');
      return this.transferCreated(existing);
    }
    const now = rfc3339China(new Date());
    const t: EmulatorTransfer = {
      mchid, appid: String(b.appid), outBillNo: no, transferBillNo: `1330${digits(30)}`, openid: String(b.openid), amount: b.transfer_amount as number, remark: String(b.transfer_remark),
      sceneId: String(b.transfer_scene_id), notifyUrl: typeof b.notify_url === 'string' ? b.notify_url : null, state: 'WAIT_USER_CONFIRM', packageInfo: randomBytes(60).toString('base64'),
      failReason: null, createTime: now, updateTime: now,
    };
    const failing = this.failingPayees.get(t.openid);
    if (failing) {
      t.state = 'FAIL';
      t.failReason = failing;
    }
    this.transfers.set(no, t);
    return this.transferCreated(t);
  }

  private transferCreated(t: EmulatorTransfer): Record<string, unknown> {
    return { out_bill_no: t.outBillNo, transfer_bill_no: t.transferBillNo, create_time: t.createTime, state: t.state, ...(t.state === 'WAIT_USER_CONFIRM' ? { package_info: t.packageInfo } : {}), ...(t.failReason ? { fail_reason: t.failReason } : {}) };
  }

  private transferView(t: EmulatorTransfer): Record<string, unknown> {
    return {
      mch_id: t.mchid, out_bill_no: t.outBillNo, transfer_bill_no: t.transferBillNo, appid: t.appid, state: t.state, transfer_amount: t.amount, transfer_remark: t.remark,
      ...(t.failReason ? { fail_reason: t.failReason } : {}), openid: t.openid, create_time: t.createTime, update_time: t.updateTime,
    };
  }

  private transferNotifyView(t: EmulatorTransfer): Record<string, unknown> {
    return { out_bill_no: t.outBillNo, transfer_bill_no: t.transferBillNo, state: t.state, mch_id: t.mchid, transfer_amount: t.amount, openid: t.openid, ...(t.failReason ? { fail_reason: t.failReason } : {}), create_time: t.createTime, update_time: t.updateTime };
  }

  // trade bill: GET /v3/bill/tradebill?bill_date=YYYY-MM-DD → download_url; the file lists the day's paid transactions
  private readonly bills = new Map<string, string>();

  private tradeBill(mchid: string, url: URL): Record<string, unknown> {
    const date = url.searchParams.get('bill_date') ?? '';
    if (!/^\d{4}-\d\d-\d\d$/.test(date)) throw new ApiError(400, 'PARAM_ERROR', 'bill_date 格式为 YYYY-MM-DD');
    const rows = [...this.transactions.values()].filter((t) => t.mchid === mchid && t.successTime?.startsWith(date));
    if (!rows.length) throw new ApiError(400, 'NO_STATEMENT_EXIST', '账单文件不存在');
    const head = '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,商品名称,商户数据包,手续费,费率,订单金额,费率备注';
    const yuan = (fen: number) => (fen / 100).toFixed(2);
    const lines = rows.map((t) => [t.successTime!.replace('T', ' ').slice(0, 19), t.appid, t.mchid, '0', '', t.transactionId, t.outTradeNo, t.openid, 'JSAPI', 'SUCCESS', 'OTHERS', 'CNY', yuan(t.total), '0.00', t.description, '', '0.00', '0.60%', yuan(t.total), ''].map((v) => `\`${v}`).join(','));
    const total = rows.reduce((s, t) => s + t.total, 0);
    const file = [head, ...lines, '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额', `\`${rows.length},\`${yuan(total)},\`0.00,\`0.00,\`0.00,\`${yuan(total)},\`0.00`].join('\r\n') + '\r\n';
    const token = randomBytes(12).toString('hex');
    this.bills.set(token, file);
    return { hash_type: 'SHA1', hash_value: createHash('sha1').update(file).digest('hex'), download_url: `${this.baseUrl}/v3/billdownload/file?token=${token}&tartype=` };
  }

  private billFile(token: string): string {
    const f = this.bills.get(token);
    if (!f) throw new ApiError(404, 'NOT_FOUND', '下载链接已失效');
    return f;
  }

  /** The cashier: the WeChat pay sheet's stand-in outside WeChat. GET shows, POST pays. */
  private async cashier(method: string, url: URL, body: string, res: ServerResponse): Promise<number> {
    const prepayId = decodeURIComponent(url.pathname.slice('/cashier/'.length).replace(/\/pay$/, ''));
    const tx = this.byPrepayId(prepayId);
    const back = url.searchParams.get('return') ?? new URLSearchParams(body).get('return') ?? '';
    const safeBack = /^https?:\/\//.test(back) ? back : '';
    const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    if (!tx) {
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' }).end('<!doctype html><meta charset="utf-8"><p>支付单不存在或已失效</p>');
      return 404;
    }
    if (method === 'POST' && url.pathname.endsWith('/pay')) {
      try {
        await this.pay(tx.outTradeNo);
      } catch (err) {
        res.writeHead(409, { 'Content-Type': 'text/html; charset=utf-8' }).end(`<!doctype html><meta charset="utf-8"><p>${esc((err as Error).message)}</p>`);
        return 409;
      }
      res.writeHead(303, { Location: safeBack || `/cashier/${encodeURIComponent(prepayId)}` }).end();
      return 303;
    }
    const paid = tx.state === 'SUCCESS' || tx.state === 'REFUND';
    const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>微信支付（模拟）</title>
<style>body{font-family:system-ui,sans-serif;max-width:420px;margin:40px auto;padding:0 16px;color:#222}.amt{font-size:40px;margin:16px 0}button{width:100%;padding:14px;font-size:17px;background:#07c160;color:#fff;border:0;border-radius:6px}.note{color:#888;font-size:13px}a{color:#576b95}</style></head>
<body><p class="note">微信支付模拟器 · 商户号 ${esc(tx.mchid)}</p><h1>${esc(tx.description)}</h1><div class="amt">¥${(tx.total / 100).toFixed(2)}</div>
${paid ? '<p>已支付</p>' : tx.state === 'CLOSED' ? '<p>订单已关闭</p>' : `<form method="post" action="/cashier/${encodeURIComponent(prepayId)}/pay"><input type="hidden" name="return" value="${esc(safeBack)}"><button type="submit">确认支付</button></form>`}
${safeBack ? `<p><a href="${esc(safeBack)}">返回商户</a></p>` : ''}<p class="note">在微信内，这一步由微信支付收银台完成。</p></body></html>`;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
    return 200;
  }

  private makeCertificate(): void {
    const dir = mkdtempSync(join(tmpdir(), 'wxpay-emu-'));
    try {
      const keyFile = join(dir, 'key.pem');
      writeFileSync(keyFile, this.platformKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
      const serial = randomBytes(20).toString('hex').toUpperCase().replace(/^[89A-F]/, '1');
      const r = spawnSync('openssl', ['req', '-x509', '-new', '-key', keyFile, '-subj', '/C=CN/O=Tenpay.com/OU=Tenpay.com CA Center/CN=Tenpay.com Emulator CA', '-days', '30', '-set_serial', `0x${serial}`, '-out', join(dir, 'cert.pem')], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`openssl could not make the platform certificate: ${r.stderr || r.error?.message}`);
      this.platformCertificatePem = readFileSync(join(dir, 'cert.pem'), 'utf8');
      this.platformCertificateSerial = new X509Certificate(this.platformCertificatePem).serialNumber.toUpperCase();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
