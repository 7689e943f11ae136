import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { encryptMessage, messageSignature, randomNonce, serverSignature, decryptMessage } from '../services/wechat-crypto.js';
import { buildWechatXml, field, parseWechatXml, type XmlFields } from '../services/wechat-xml.js';
import { renderSandboxPage } from './sandbox-page.js';

/**
 * A local stand-in for WeChat's official-account platform, following the official documents for the
 * endpoints the mall uses (and nothing more):
 *
 *   GET  /cgi-bin/token                 classic access_token (each call issues a new one; the old one
 *                                       stays valid for `graceSeconds`, then answers 40001)
 *   POST /cgi-bin/stable_token          stable access_token (normal mode returns the live one; it is
 *                                       renewed within its last 5 minutes; force_refresh revokes it)
 *   GET  /cgi-bin/ticket/getticket      jsapi_ticket
 *   POST /cgi-bin/qrcode/create         QR_SCENE / QR_STR_SCENE / QR_LIMIT_SCENE / QR_LIMIT_STR_SCENE
 *   GET  /cgi-bin/showqrcode            the QR image (PNG)
 *   POST /cgi-bin/menu/create, GET /cgi-bin/menu/get
 *   POST /cgi-bin/message/template/send
 *   GET  /cgi-bin/user/info
 *   GET  /connect/oauth2/authorize      a pretend consent page, then a redirect with code & state
 *   GET  /sns/oauth2/access_token, GET /sns/userinfo
 *
 * with the platform's error codes (40001 invalid credential, 42001 expired, 40014 invalid token,
 * 40029 invalid code, 40163 code been used, 40125 invalid appsecret, 40164 IP not whitelisted,
 * 48001 api unauthorized, 43004 require subscribe …). `push*` send signed (and, in safe mode,
 * encrypted) message XML to the mall as WeChat does, retrying when no answer comes within 5 s.
 *
 * Start it in tests on 127.0.0.1:0, or beside the mall with `npm run wechat:emulator`; its root page
 * is the sandbox (fake users, follow, scan, open the mall, template-message inbox).
 */

export interface EmulatorAppInput {
  appId: string;
  secret: string;
  /** Token and EncodingAESKey as entered in the mall's admin (needed to push messages). */
  token?: string;
  encodingAesKey?: string;
  /** "safe" encrypts pushes (安全模式); "plain" signs only. */
  messageMode?: 'plain' | 'safe';
  /** The mall's public URL; pushes go to `${mallUrl}/wechat`. */
  mallUrl?: string;
  /** When set, server API calls from other IPs answer 40164. */
  ipWhitelist?: string[];
  /** An unverified account lacks the QR, template and menu APIs (48001). */
  verified?: boolean;
  /** The account's original id (gh_…), ToUserName of pushes. */
  originalId?: string;
  /** 网页授权域名: OAuth redirect_uri must be on this host (unchecked when empty). */
  oauthDomain?: string;
}

export interface EmulatorApp extends Required<Omit<EmulatorAppInput, 'ipWhitelist' | 'token' | 'encodingAesKey' | 'mallUrl' | 'oauthDomain'>> {
  oauthDomain: string;
  token: string;
  encodingAesKey: string;
  mallUrl: string;
  ipWhitelist: string[] | null;
  menu: unknown | null;
}

export interface EmulatorUser {
  appId: string;
  openid: string;
  unionid: string;
  nickname: string;
  avatarUrl: string;
  subscribed: boolean;
  subscribeTime: number | null;
  subscribeScene: string;
  qrScene: number;
  qrSceneStr: string;
}

export interface EmulatorQrCode {
  appId: string;
  ticket: string;
  actionName: string;
  sceneId: number | null;
  sceneStr: string | null;
  url: string;
  expiresAt: number | null;
}

export interface TemplateMessageRecord {
  appId: string;
  msgid: number;
  touser: string;
  templateId: string;
  url: string | null;
  data: Record<string, { value: string; color?: string }>;
  at: number;
}

export interface PushResult {
  /** HTTP status of the last attempt (0 when it never answered). */
  status: number;
  attempts: number;
  body: string;
  /** The reply message, decrypted in safe mode; null for "success"/empty. */
  reply: XmlFields | null;
  /** Set when a safe-mode reply's signature or appid did not check out. */
  replyError?: string;
}

export interface PushOptions {
  mode?: 'plain' | 'safe';
  /** Retries after a time-out, network error or 5xx (WeChat: three). */
  retries?: number;
  timeoutMs?: number;
  /** Corrupts the signature (tests of refusal). */
  tamper?: 'signature' | 'msg_signature' | 'appid';
  createTime?: number;
}

interface TokenRecord { appId: string; kind: 'classic' | 'stable'; expiresAt: number; revokedAt: number | null }
interface CodeRecord { appId: string; openid: string; scope: string; expiresAt: number; used: boolean }
interface SnsTokenRecord { appId: string; openid: string; scope: string; expiresAt: number }

export interface EmulatorOptions {
  /** access_token / jsapi_ticket lifetime, seconds (WeChat: 7200). */
  tokenTtlSeconds?: number;
  /** How long a classic token keeps working after the next one is issued (WeChat: 5 minutes). */
  graceSeconds?: number;
  /** OAuth code lifetime (WeChat: 5 minutes). */
  codeTtlSeconds?: number;
  /** Simulated latency of every API answer, ms. */
  latencyMs?: number;
}

type Json = Record<string, unknown>;

const err = (errcode: number, errmsg: string): Json => ({ errcode, errmsg: `${errmsg} rid: ${randomBytes(6).toString('hex')}` });

export class WechatEmulator {
  private server: Server | null = null;
  private url = '';
  readonly apps = new Map<string, EmulatorApp>();
  private readonly usersByApp = new Map<string, Map<string, EmulatorUser>>();
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly stableByApp = new Map<string, string>();
  private readonly tickets = new Map<string, { appId: string; expiresAt: number }>();
  private readonly codes = new Map<string, CodeRecord>();
  private readonly snsTokens = new Map<string, SnsTokenRecord>();
  readonly qrcodes = new Map<string, EmulatorQrCode>();
  readonly templateMessages: TemplateMessageRecord[] = [];
  /** Every API call with its path and answer's errcode (0 = ok). */
  readonly calls: Array<{ path: string; errcode: number; at: number }> = [];
  private readonly injected: Array<{ path: string; errcode: number; errmsg: string; remaining: number }> = [];
  private msgSeq = 200_000_000;
  private msgIdSeq = 7_000_000_000_000_000_000n;
  readonly options: Required<EmulatorOptions>;

  constructor(options: EmulatorOptions = {}) {
    this.options = { tokenTtlSeconds: 7200, graceSeconds: 300, codeTtlSeconds: 300, latencyMs: 0, ...options };
  }

  get baseUrl(): string {
    if (!this.url) throw new Error('the WeChat emulator is not started');
    return this.url;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) this.json(res, 500, err(-1, `system error: ${(e as Error).message}`));
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    const s = this.server;
    this.server = null;
    s.closeAllConnections?.();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  // ------------------------------------------------------------------ set-up and controls

  registerApp(input: EmulatorAppInput): EmulatorApp {
    const app: EmulatorApp = {
      appId: input.appId, secret: input.secret, token: input.token ?? '', encodingAesKey: input.encodingAesKey ?? '',
      messageMode: input.messageMode ?? (input.encodingAesKey ? 'safe' : 'plain'), mallUrl: (input.mallUrl ?? '').replace(/\/+$/, ''),
      ipWhitelist: input.ipWhitelist ?? null, verified: input.verified ?? true,
      originalId: input.originalId ?? `gh_${createHash('sha1').update(input.appId).digest('hex').slice(0, 12)}`, menu: null,
      oauthDomain: input.oauthDomain ?? '',
    };
    this.apps.set(app.appId, app);
    if (!this.usersByApp.has(app.appId)) this.usersByApp.set(app.appId, new Map());
    return app;
  }

  app(appId: string): EmulatorApp {
    const app = this.apps.get(appId);
    if (!app) throw new Error(`the emulator has no app ${appId}`);
    return app;
  }

  updateApp(appId: string, patch: Partial<EmulatorAppInput>): EmulatorApp {
    const app = this.app(appId);
    Object.assign(app, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
    if (patch.mallUrl) app.mallUrl = patch.mallUrl.replace(/\/+$/, '');
    return app;
  }

  /** A fake WeChat user of the app (not following yet). The openid is stable per app and nickname. */
  addUser(appId: string, nickname: string, opts: { avatarUrl?: string } = {}): EmulatorUser {
    this.app(appId);
    const users = this.usersByApp.get(appId)!;
    const openid = `o${createHash('sha256').update(`${appId}:${nickname}`).digest('base64url').slice(0, 27)}`;
    const existing = users.get(openid);
    if (existing) return existing;
    const user: EmulatorUser = {
      appId, openid, unionid: `u${createHash('sha256').update(`union:${nickname}`).digest('base64url').slice(0, 27)}`, nickname,
      avatarUrl: opts.avatarUrl ?? '', subscribed: false, subscribeTime: null,
      subscribeScene: 'ADD_SCENE_OTHERS', qrScene: 0, qrSceneStr: '',
    };
    users.set(openid, user);
    return user;
  }

  /** The user's avatar: a generated picture served by the emulator unless one was given. */
  avatarOf(user: EmulatorUser): string {
    return user.avatarUrl || `${this.url}/avatar/${encodeURIComponent(user.openid)}.svg`;
  }

  users(appId: string): EmulatorUser[] {
    return [...(this.usersByApp.get(appId)?.values() ?? [])];
  }

  user(appId: string, openid: string): EmulatorUser | undefined {
    return this.usersByApp.get(appId)?.get(openid);
  }

  /** Every live token of the app now answers 40001 (as after a refresh elsewhere or a leak). */
  revokeTokens(appId: string): void {
    for (const t of this.tokens.values()) if (t.appId === appId && t.revokedAt === null) t.revokedAt = Date.now();
    this.stableByApp.delete(appId);
  }

  /** Every live token of the app is past its expiry (42001). */
  expireTokens(appId: string): void {
    for (const t of this.tokens.values()) if (t.appId === appId) t.expiresAt = Math.min(t.expiresAt, Date.now() - 1);
    this.stableByApp.delete(appId);
  }

  /** The next `count` calls to `path` answer this error (e.g. -1 system busy for retry tests). */
  failNext(path: string, errcode: number, errmsg = 'system error', count = 1): void {
    this.injected.push({ path, errcode, errmsg, remaining: count });
  }

  count(path: string, ok?: boolean): number {
    return this.calls.filter((c) => c.path === path && (ok === undefined || (c.errcode === 0) === ok)).length;
  }

  /** Issues an OAuth code as if the user had consented (tests without a browser). */
  issueCode(appId: string, openid: string, scope: 'snsapi_base' | 'snsapi_userinfo'): string {
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, { appId, openid, scope, expiresAt: Date.now() + this.options.codeTtlSeconds * 1000, used: false });
    return code;
  }

  // ------------------------------------------------------------------ pushes to the mall

  /** Sends a message/event as WeChat does: signed (and encrypted in safe mode), retried on time-outs. */
  async push(appId: string, openid: string, fields: Record<string, string | number>, opts: PushOptions = {}): Promise<PushResult> {
    const app = this.app(appId);
    if (!app.mallUrl) throw new Error(`app ${appId} has no mallUrl to push to`);
    if (!app.token) throw new Error(`app ${appId} has no Token`);
    const mode = opts.mode ?? app.messageMode;
    const createTime = opts.createTime ?? Math.floor(Date.now() / 1000);
    const plainXml = buildWechatXml({ ToUserName: app.originalId, FromUserName: openid, CreateTime: createTime, ...fields });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = String(Math.floor(Math.random() * 1e10));
    const query = new URLSearchParams({ signature: serverSignature(app.token, timestamp, nonce), timestamp, nonce, openid });
    let body = plainXml;
    if (mode === 'safe') {
      const encrypt = encryptMessage(app.encodingAesKey, opts.tamper === 'appid' ? 'wx_not_this_app' : app.appId, plainXml);
      body = buildWechatXml({ ToUserName: app.originalId, Encrypt: encrypt });
      query.set('encrypt_type', 'aes');
      query.set('msg_signature', messageSignature(app.token, timestamp, nonce, encrypt));
    }
    if (opts.tamper === 'signature') query.set('signature', '0'.repeat(40));
    if (opts.tamper === 'msg_signature') query.set('msg_signature', '0'.repeat(40));
    return this.postWithRetries(`${app.mallUrl}/wechat?${query}`, body, opts, (text) => this.readReply(app, text, mode));
  }

  private async postWithRetries(url: string, body: string, opts: PushOptions, read: (text: string) => Pick<PushResult, 'reply' | 'replyError'>): Promise<PushResult> {
    const retries = opts.retries ?? 3;
    let last: PushResult = { status: 0, attempts: 0, body: '', reply: null };
    for (let attempt = 1; attempt <= retries + 1; attempt++) {
      try {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body, signal: AbortSignal.timeout(opts.timeoutMs ?? 5000) });
        const text = await res.text();
        last = { status: res.status, attempts: attempt, body: text, reply: null };
        if (res.status < 500) return { ...last, ...(res.status === 200 ? read(text) : {}) };
      } catch {
        last = { status: 0, attempts: attempt, body: '', reply: null };
      }
    }
    return last;
  }

  private readReply(app: EmulatorApp, text: string, mode: 'plain' | 'safe'): Pick<PushResult, 'reply' | 'replyError'> {
    if (!text.trim() || text.trim() === 'success') return { reply: null };
    try {
      const outer = parseWechatXml(text);
      if (mode === 'plain') return { reply: outer };
      const encrypt = field(outer, 'Encrypt') ?? '';
      const expected = messageSignature(app.token, field(outer, 'TimeStamp') ?? '', field(outer, 'Nonce') ?? '', encrypt);
      if (expected !== field(outer, 'MsgSignature')) return { reply: null, replyError: 'reply MsgSignature does not match' };
      const { message, appId } = decryptMessage(app.encodingAesKey, encrypt);
      if (appId !== app.appId) return { reply: null, replyError: `reply encrypted for ${appId}` };
      return { reply: parseWechatXml(message) };
    } catch (e) {
      return { reply: null, replyError: (e as Error).message };
    }
  }

  /** The server URL handshake, as the WeChat console does when the merchant saves the URL. */
  async handshake(appId: string, opts: { tamper?: boolean } = {}): Promise<{ status: number; body: string; echostr: string }> {
    const app = this.app(appId);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = String(Math.floor(Math.random() * 1e10));
    const echostr = String(BigInt(`0x${randomBytes(8).toString('hex')}`));
    const signature = opts.tamper ? '0'.repeat(40) : serverSignature(app.token, timestamp, nonce);
    const res = await fetch(`${app.mallUrl}/wechat?${new URLSearchParams({ signature, timestamp, nonce, echostr })}`, { signal: AbortSignal.timeout(5000) });
    return { status: res.status, body: await res.text(), echostr };
  }

  text(appId: string, openid: string, content: string, opts: PushOptions & { msgId?: string } = {}): Promise<PushResult> {
    const msgId = opts.msgId ?? String(this.msgIdSeq++);
    return this.push(appId, openid, { MsgType: 'text', Content: content, MsgId: msgId }, opts);
  }

  /** Follow, optionally through a parametric QR code (its scene arrives as qrscene_<scene>). */
  subscribe(appId: string, openid: string, qr?: EmulatorQrCode, opts: PushOptions = {}): Promise<PushResult> {
    const user = this.requireUser(appId, openid);
    user.subscribed = true;
    user.subscribeTime = Math.floor(Date.now() / 1000);
    user.subscribeScene = qr ? 'ADD_SCENE_QR_CODE' : 'ADD_SCENE_SEARCH';
    user.qrScene = qr?.sceneId ?? 0;
    user.qrSceneStr = qr?.sceneStr ?? '';
    const fields: Record<string, string> = { MsgType: 'event', Event: 'subscribe' };
    if (qr) Object.assign(fields, { EventKey: `qrscene_${qr.sceneStr ?? qr.sceneId}`, Ticket: qr.ticket });
    return this.push(appId, openid, fields, opts);
  }

  /** Scans a parametric QR code: subscribe (with qrscene_) for a new follower, SCAN for a follower. */
  scan(appId: string, openid: string, ticket: string, opts: PushOptions = {}): Promise<PushResult> {
    const qr = this.qrcodes.get(ticket);
    if (!qr || qr.appId !== appId) throw new Error('unknown QR ticket');
    if (qr.expiresAt !== null && qr.expiresAt < Date.now()) throw new Error('this QR code has expired');
    const user = this.requireUser(appId, openid);
    if (!user.subscribed) return this.subscribe(appId, openid, qr, opts);
    return this.push(appId, openid, { MsgType: 'event', Event: 'SCAN', EventKey: String(qr.sceneStr ?? qr.sceneId), Ticket: qr.ticket }, opts);
  }

  unsubscribe(appId: string, openid: string, opts: PushOptions = {}): Promise<PushResult> {
    const user = this.requireUser(appId, openid);
    user.subscribed = false;
    return this.push(appId, openid, { MsgType: 'event', Event: 'unsubscribe', EventKey: '' }, opts);
  }

  click(appId: string, openid: string, key: string, opts: PushOptions = {}): Promise<PushResult> {
    return this.push(appId, openid, { MsgType: 'event', Event: 'CLICK', EventKey: key }, opts);
  }

  view(appId: string, openid: string, url: string, opts: PushOptions = {}): Promise<PushResult> {
    return this.push(appId, openid, { MsgType: 'event', Event: 'VIEW', EventKey: url }, opts);
  }

  private requireUser(appId: string, openid: string): EmulatorUser {
    const user = this.user(appId, openid);
    if (!user) throw new Error(`the emulator has no user ${openid} for ${appId}`);
    return user;
  }

  // ------------------------------------------------------------------ HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = url.pathname;
    const q = url.searchParams;
    if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
    if (path === '/' || path.startsWith('/sandbox')) return this.sandbox(req, res, url);
    if (path.startsWith('/avatar/')) return this.avatar(res, path);
    if (path === '/connect/oauth2/authorize' || path === '/connect/oauth2/authorize/confirm') return this.authorize(req, res, url);
    if (path === '/cgi-bin/showqrcode') return this.showQrCode(res, q.get('ticket') ?? '');

    const injected = this.injected.find((i) => i.path === path && i.remaining > 0);
    if (injected) {
      injected.remaining--;
      return this.answer(res, path, err(injected.errcode, injected.errmsg));
    }
    const body = req.method === 'POST' ? await readJson(req) : {};
    if (body === null) return this.answer(res, path, err(47001, 'data format error'));
    const ip = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    switch (path) {
      case '/cgi-bin/token': return this.answer(res, path, this.classicToken(q, ip));
      case '/cgi-bin/stable_token': return this.answer(res, path, req.method === 'POST' ? this.stableToken(body, ip) : err(43002, 'require POST method'));
      case '/sns/oauth2/access_token': return this.answer(res, path, this.snsAccessToken(q));
      case '/sns/userinfo': return this.answer(res, path, this.snsUserInfo(q));
      default: break;
    }
    const auth = this.checkToken(q.get('access_token'), ip);
    if ('error' in auth) return this.answer(res, path, auth.error);
    const app = this.app(auth.appId);
    switch (path) {
      case '/cgi-bin/ticket/getticket': return this.answer(res, path, this.ticket(app, q));
      case '/cgi-bin/qrcode/create': return this.answer(res, path, req.method === 'POST' ? this.createQrCode(app, body) : err(43002, 'require POST method'));
      case '/cgi-bin/menu/create': return this.answer(res, path, req.method === 'POST' ? this.createMenu(app, body) : err(43002, 'require POST method'));
      case '/cgi-bin/menu/get': return this.answer(res, path, app.menu ? { menu: app.menu } : err(46003, 'menu no exist'));
      case '/cgi-bin/message/template/send': return this.answer(res, path, req.method === 'POST' ? this.sendTemplate(app, body) : err(43002, 'require POST method'));
      case '/cgi-bin/user/info': return this.answer(res, path, this.userInfo(app, q));
      default: return this.answer(res, path, err(48001, 'api unauthorized'));
    }
  }

  private answer(res: ServerResponse, path: string, body: Json): void {
    const errcode = typeof body.errcode === 'number' ? body.errcode : 0;
    this.calls.push({ path, errcode, at: Date.now() });
    this.json(res, 200, body);
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }

  private appCredentials(appid: string | null, secret: string | null, ip: string): { app: EmulatorApp } | { error: Json } {
    const app = appid ? this.apps.get(appid) : undefined;
    if (!app) return { error: err(40013, 'invalid appid') };
    if (app.secret !== secret) return { error: err(40125, 'invalid appsecret') };
    if (app.ipWhitelist && !app.ipWhitelist.includes(ip)) return { error: err(40164, `invalid ip ${ip}, not in whitelist`) };
    return { app };
  }

  private newToken(appId: string, kind: 'classic' | 'stable'): string {
    const token = `${randomBytes(40).toString('base64url')}`;
    this.tokens.set(token, { appId, kind, expiresAt: Date.now() + this.options.tokenTtlSeconds * 1000, revokedAt: null });
    return token;
  }

  private classicToken(q: URLSearchParams, ip: string): Json {
    if (q.get('grant_type') !== 'client_credential') return err(40002, 'invalid grant_type');
    const found = this.appCredentials(q.get('appid'), q.get('secret'), ip);
    if ('error' in found) return found.error;
    const app = found.app;
    // a new classic token supersedes the previous ones, which keep working for the grace period
    const graceUntil = Date.now() + this.options.graceSeconds * 1000;
    for (const t of this.tokens.values()) {
      if (t.appId === app.appId && t.kind === 'classic' && t.revokedAt === null) t.revokedAt = graceUntil;
    }
    return { access_token: this.newToken(app.appId, 'classic'), expires_in: this.options.tokenTtlSeconds };
  }

  private stableToken(body: Json, ip: string): Json {
    if (body.grant_type !== 'client_credential') return err(40002, 'invalid grant_type');
    const found = this.appCredentials(typeof body.appid === 'string' ? body.appid : null, typeof body.secret === 'string' ? body.secret : null, ip);
    if ('error' in found) return found.error;
    const app = found.app;
    const current = this.stableByApp.get(app.appId);
    const rec = current ? this.tokens.get(current) : undefined;
    const now = Date.now();
    const live = rec && rec.revokedAt === null && rec.expiresAt > now;
    if (body.force_refresh === true) {
      if (rec) rec.revokedAt = now;
    } else if (live && rec.expiresAt - now > 300_000) {
      return { access_token: current, expires_in: Math.floor((rec.expiresAt - now) / 1000) };
    } else if (live && rec) {
      // within its last five minutes: a new token is issued; the old one lives on until it expires
    }
    const token = this.newToken(app.appId, 'stable');
    this.stableByApp.set(app.appId, token);
    return { access_token: token, expires_in: this.options.tokenTtlSeconds };
  }

  private checkToken(token: string | null, ip: string): { appId: string } | { error: Json } {
    if (!token) return { error: err(41001, 'access_token missing') };
    const rec = this.tokens.get(token);
    if (!rec) return { error: err(40014, 'invalid access_token') };
    const now = Date.now();
    if (rec.revokedAt !== null && rec.revokedAt <= now) return { error: err(40001, 'invalid credential, access_token is invalid or not latest') };
    if (rec.expiresAt <= now) return { error: err(42001, 'access_token expired') };
    const app = this.app(rec.appId);
    if (app.ipWhitelist && !app.ipWhitelist.includes(ip)) return { error: err(40164, `invalid ip ${ip}, not in whitelist`) };
    return { appId: rec.appId };
  }

  private ticket(app: EmulatorApp, q: URLSearchParams): Json {
    if ((q.get('type') ?? 'jsapi') !== 'jsapi') return err(40097, 'invalid args');
    const ticket = randomBytes(48).toString('base64url');
    this.tickets.set(ticket, { appId: app.appId, expiresAt: Date.now() + this.options.tokenTtlSeconds * 1000 });
    return { errcode: 0, errmsg: 'ok', ticket, expires_in: this.options.tokenTtlSeconds };
  }

  /** True when `ticket` is a live jsapi_ticket of the app (for tests checking a JS-SDK config). */
  isLiveTicket(appId: string, ticket: string): boolean {
    const t = this.tickets.get(ticket);
    return !!t && t.appId === appId && t.expiresAt > Date.now();
  }

  private createQrCode(app: EmulatorApp, body: Json): Json {
    if (!app.verified) return err(48001, 'api unauthorized');
    const action = body.action_name;
    const info = (body.action_info as { scene?: { scene_id?: unknown; scene_str?: unknown } } | undefined)?.scene ?? {};
    const permanent = action === 'QR_LIMIT_SCENE' || action === 'QR_LIMIT_STR_SCENE';
    const byStr = action === 'QR_STR_SCENE' || action === 'QR_LIMIT_STR_SCENE';
    if (!['QR_SCENE', 'QR_STR_SCENE', 'QR_LIMIT_SCENE', 'QR_LIMIT_STR_SCENE'].includes(String(action))) return err(40097, 'invalid args: action_name');
    let sceneId: number | null = null;
    let sceneStr: string | null = null;
    if (byStr) {
      if (typeof info.scene_str !== 'string' || info.scene_str.length < 1 || info.scene_str.length > 64) return err(40097, 'invalid args: scene_str must be 1-64 characters');
      sceneStr = info.scene_str;
    } else {
      const id = Number(info.scene_id);
      const max = permanent ? 100_000 : 4_294_967_295;
      if (!Number.isInteger(id) || id < 1 || id > max) return err(40097, 'invalid args: scene_id');
      sceneId = id;
    }
    let expireSeconds: number | null = null;
    if (!permanent) {
      const e = body.expire_seconds === undefined ? 60 : Number(body.expire_seconds);
      if (!Number.isInteger(e) || e < 1) return err(40097, 'invalid args: expire_seconds');
      expireSeconds = Math.min(e, 2_592_000);
    }
    // a permanent code for the same scene keeps its ticket
    if (permanent) {
      for (const qr of this.qrcodes.values()) {
        if (qr.appId === app.appId && qr.expiresAt === null && qr.sceneId === sceneId && qr.sceneStr === sceneStr) return { ticket: qr.ticket, url: qr.url };
      }
    }
    const ticket = `gQ${randomBytes(36).toString('base64')}`;
    const qr: EmulatorQrCode = {
      appId: app.appId, ticket, actionName: String(action), sceneId, sceneStr,
      url: `http://weixin.qq.com/q/${randomBytes(16).toString('base64url')}`, expiresAt: expireSeconds === null ? null : Date.now() + expireSeconds * 1000,
    };
    this.qrcodes.set(ticket, qr);
    return expireSeconds === null ? { ticket, url: qr.url } : { ticket, expire_seconds: expireSeconds, url: qr.url };
  }

  private async showQrCode(res: ServerResponse, ticket: string): Promise<void> {
    const qr = this.qrcodes.get(ticket);
    if (!qr || (qr.expiresAt !== null && qr.expiresAt < Date.now())) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('qrcode not found or expired');
      return;
    }
    const png = await QRCode.toBuffer(qr.url, { type: 'png', margin: 2, width: 344 });
    res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'max-age=600' });
    res.end(png);
  }

  private createMenu(app: EmulatorApp, body: Json): Json {
    if (!app.verified) return err(48001, 'api unauthorized');
    const buttons = body.button;
    if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3) return err(40016, 'invalid button size');
    const bytes = (s: unknown) => Buffer.byteLength(String(s ?? ''), 'utf8');
    const checkLeaf = (b: Json, maxName: number): Json | null => {
      if (!b.name || bytes(b.name) > maxName) return err(40018, 'invalid button name size');
      if (b.type === 'click') return !b.key || bytes(b.key) > 128 ? err(40019, 'invalid button key size') : null;
      if (b.type === 'view') return typeof b.url !== 'string' || !/^https?:\/\//.test(b.url) || bytes(b.url) > 1024 ? err(40055, 'invalid button url domain') : null;
      return err(40017, 'invalid button type');
    };
    for (const raw of buttons as Json[]) {
      if (Array.isArray(raw.sub_button) && raw.sub_button.length) {
        if (!raw.name || bytes(raw.name) > 16) return err(40018, 'invalid button name size');
        if (raw.sub_button.length > 5) return err(40023, 'invalid sub button size');
        for (const sub of raw.sub_button as Json[]) {
          const problem = checkLeaf(sub, 60);
          if (problem) return problem;
        }
      } else {
        const problem = checkLeaf(raw, 16);
        if (problem) return problem;
      }
    }
    app.menu = { button: buttons };
    return { errcode: 0, errmsg: 'ok' };
  }

  private sendTemplate(app: EmulatorApp, body: Json): Json {
    if (!app.verified) return err(48001, 'api unauthorized');
    const touser = typeof body.touser === 'string' ? body.touser : '';
    const user = this.user(app.appId, touser);
    if (!user) return err(40003, 'invalid openid');
    if (typeof body.template_id !== 'string' || !body.template_id) return err(40037, 'invalid template_id');
    if (!user.subscribed) return err(43004, 'require subscribe');
    if (!body.data || typeof body.data !== 'object') return err(47001, 'data format error');
    const msgid = this.msgSeq++;
    this.templateMessages.push({ appId: app.appId, msgid, touser, templateId: body.template_id, url: typeof body.url === 'string' ? body.url : null, data: body.data as TemplateMessageRecord['data'], at: Date.now() });
    return { errcode: 0, errmsg: 'ok', msgid };
  }

  private userInfo(app: EmulatorApp, q: URLSearchParams): Json {
    const user = this.user(app.appId, q.get('openid') ?? '');
    if (!user) return err(40003, 'invalid openid');
    if (!user.subscribed) return { subscribe: 0, openid: user.openid };
    return {
      subscribe: 1, openid: user.openid, language: 'zh_CN', subscribe_time: user.subscribeTime, unionid: user.unionid, remark: '', groupid: 0, tagid_list: [],
      subscribe_scene: user.subscribeScene, qr_scene: user.qrScene, qr_scene_str: user.qrSceneStr,
    };
  }

  private snsAccessToken(q: URLSearchParams): Json {
    if (q.get('grant_type') !== 'authorization_code') return err(40002, 'invalid grant_type');
    const app = this.apps.get(q.get('appid') ?? '');
    if (!app) return err(40013, 'invalid appid');
    if (app.secret !== q.get('secret')) return err(40125, 'invalid appsecret');
    const rec = this.codes.get(q.get('code') ?? '');
    if (!rec || rec.appId !== app.appId || rec.expiresAt < Date.now()) return err(40029, 'invalid code');
    if (rec.used) return err(40163, 'code been used');
    rec.used = true;
    const token = randomBytes(32).toString('base64url');
    this.snsTokens.set(token, { appId: app.appId, openid: rec.openid, scope: rec.scope, expiresAt: Date.now() + 7200_000 });
    const user = this.user(app.appId, rec.openid)!;
    const out: Json = { access_token: token, expires_in: 7200, refresh_token: randomBytes(32).toString('base64url'), openid: rec.openid, scope: rec.scope };
    if (rec.scope === 'snsapi_userinfo') out.unionid = user.unionid;
    return out;
  }

  private snsUserInfo(q: URLSearchParams): Json {
    const rec = this.snsTokens.get(q.get('access_token') ?? '');
    if (!rec) return err(40001, 'invalid credential, access_token is invalid or not latest');
    if (rec.expiresAt < Date.now()) return err(42001, 'access_token expired');
    if (rec.openid !== q.get('openid')) return err(40003, 'invalid openid');
    if (rec.scope !== 'snsapi_userinfo') return err(48001, 'api unauthorized');
    const user = this.user(rec.appId, rec.openid)!;
    return { openid: user.openid, nickname: user.nickname, sex: 0, province: '', city: '', country: '', headimgurl: this.avatarOf(user), privilege: [], unionid: user.unionid };
  }

  /**
   * The consent step of web OAuth. snsapi_base is silent when the browser has chosen its fake user
   * (cookie `emu_user`); snsapi_userinfo always asks. `?as=<openid>` (tests) consents at once.
   */
  private async authorize(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const q = req.method === 'POST' ? new URLSearchParams(await readText(req, 16_384)) : url.searchParams;
    const app = this.apps.get(q.get('appid') ?? '');
    const redirectUri = q.get('redirect_uri') ?? '';
    const scope = q.get('scope') ?? '';
    const state = q.get('state') ?? '';
    const page = (status: number, html: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    };
    if (!app) return page(400, errorPage('appid 参数错误 (invalid appid)'));
    if (!/^https?:\/\//.test(redirectUri)) return page(400, errorPage('redirect_uri 参数错误 (invalid redirect_uri)'));
    if (q.get('response_type') !== 'code') return page(400, errorPage('response_type 参数错误'));
    if (scope !== 'snsapi_base' && scope !== 'snsapi_userinfo') return page(400, errorPage('scope 参数错误或没有 scope 权限'));
    if (app.oauthDomain && new URL(redirectUri).host !== app.oauthDomain) return page(400, errorPage('redirect_uri 域名与后台配置不一致 (10003)'));
    const cookies = parseCookies(req.headers.cookie);
    let openid = q.get('as') ?? (req.method === 'POST' ? q.get('openid') : null);
    if (req.method === 'POST' && !openid && q.get('nickname')) openid = this.addUser(app.appId, q.get('nickname')!.slice(0, 32)).openid;
    if (!openid && scope === 'snsapi_base' && cookies.emu_user && this.user(app.appId, cookies.emu_user)) openid = cookies.emu_user;
    if (openid && this.user(app.appId, openid)) {
      const code = this.issueCode(app.appId, openid, scope);
      const target = new URL(redirectUri);
      target.searchParams.set('code', code);
      target.searchParams.set('state', state);
      res.writeHead(302, { location: target.toString(), 'set-cookie': `emu_user=${encodeURIComponent(openid)}; Path=/; HttpOnly; SameSite=Lax` });
      res.end();
      return;
    }
    page(200, consentPage(app, this.users(app.appId).map((u) => ({ ...u, avatarUrl: this.avatarOf(u) })), { redirectUri, scope, state }, cookies.emu_user));
  }

  private avatar(res: ServerResponse, path: string): void {
    const seed = createHash('md5').update(path).digest();
    const color = `#${seed.subarray(0, 3).toString('hex')}`;
    res.writeHead(200, { 'content-type': 'image/svg+xml' });
    res.end(`<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><rect width="96" height="96" rx="12" fill="${color}"/><circle cx="48" cy="38" r="18" fill="#fff" opacity=".85"/><rect x="20" y="60" width="56" height="26" rx="13" fill="#fff" opacity=".85"/></svg>`);
  }

  private async sandbox(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const send = (status: number, html: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
      res.end(html);
    };
    const back = (appId: string, note: string) => {
      res.writeHead(303, { location: `/?app=${encodeURIComponent(appId)}&note=${encodeURIComponent(note)}` });
      res.end();
    };
    const appId = url.searchParams.get('app') ?? [...this.apps.keys()][0] ?? '';
    if (req.method === 'GET' && url.pathname === '/') {
      return send(200, renderSandboxPage(this, appId, url.searchParams.get('note') ?? '', parseCookies(req.headers.cookie).emu_user ?? ''));
    }
    if (req.method === 'GET' && url.pathname === '/sandbox/open') {
      // choose a fake user for this browser, then open the mall's WeChat sign-in as that user
      const app = this.apps.get(appId);
      const openid = url.searchParams.get('openid') ?? '';
      const next = url.searchParams.get('next') ?? '/';
      if (!app || !this.user(appId, openid) || !app.mallUrl) return back(appId, '未知用户或未配置商城地址');
      res.writeHead(302, { location: `${app.mallUrl}/wechat/oauth/start?next=${encodeURIComponent(next.startsWith('/') ? next : '/')}`, 'set-cookie': `emu_user=${encodeURIComponent(openid)}; Path=/; HttpOnly; SameSite=Lax` });
      res.end();
      return;
    }
    if (req.method !== 'POST') return send(404, errorPage('not found'));
    const form = new URLSearchParams(await readText(req, 16_384));
    const app = this.apps.get(form.get('app') ?? '');
    if (!app) return back('', 'unknown app');
    const openid = form.get('openid') ?? '';
    try {
      switch (url.pathname) {
        case '/sandbox/users': {
          const name = (form.get('nickname') ?? '').trim().slice(0, 32);
          if (!name) return back(app.appId, '请输入昵称');
          this.addUser(app.appId, name);
          return back(app.appId, `已创建用户 ${name}`);
        }
        case '/sandbox/follow': {
          const r = await this.subscribe(app.appId, openid);
          return back(app.appId, `关注事件已推送 (HTTP ${r.status})${replyNote(r)}`);
        }
        case '/sandbox/unfollow': {
          const r = await this.unsubscribe(app.appId, openid);
          return back(app.appId, `取消关注事件已推送 (HTTP ${r.status})`);
        }
        case '/sandbox/scan': {
          const raw = (form.get('ticket') ?? '').trim();
          const ticket = raw.includes('ticket=') ? new URL(raw, 'http://x').searchParams.get('ticket') ?? '' : raw;
          const r = await this.scan(app.appId, openid, ticket);
          return back(app.appId, `扫码事件已推送 (HTTP ${r.status})${replyNote(r)}`);
        }
        case '/sandbox/text': {
          const r = await this.text(app.appId, openid, (form.get('content') ?? '').slice(0, 600));
          return back(app.appId, `消息已推送 (HTTP ${r.status})${replyNote(r)}`);
        }
        case '/sandbox/click': {
          const r = await this.click(app.appId, openid, form.get('key') ?? '');
          return back(app.appId, `菜单点击已推送 (HTTP ${r.status})${replyNote(r)}`);
        }
        default:
          return send(404, errorPage('not found'));
      }
    } catch (e) {
      return back(app.appId, `失败：${(e as Error).message}`);
    }
  }
}

function replyNote(r: PushResult): string {
  if (r.replyError) return `；回复无法校验：${r.replyError}`;
  const content = r.reply ? field(r.reply, 'Content') : undefined;
  return content ? `；公众号回复：${content}` : '';
}

export function escapeHtml(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function errorPage(message: string): string {
  return `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>微信 (模拟)</title><body style="font-family:sans-serif;padding:40px 24px;text-align:center;color:#333"><p style="font-size:18px">${escapeHtml(message)}</p></body>`;
}

function consentPage(app: EmulatorApp, users: EmulatorUser[], p: { redirectUri: string; scope: string; state: string }, current: string | undefined): string {
  const hidden = `<input type="hidden" name="appid" value="${escapeHtml(app.appId)}"><input type="hidden" name="redirect_uri" value="${escapeHtml(p.redirectUri)}"><input type="hidden" name="response_type" value="code"><input type="hidden" name="scope" value="${escapeHtml(p.scope)}"><input type="hidden" name="state" value="${escapeHtml(p.state)}">`;
  const options = users.map((u) => `<label style="display:flex;gap:10px;align-items:center;padding:10px 0;border-bottom:1px solid #eee"><input type="radio" name="openid" value="${escapeHtml(u.openid)}"${u.openid === current ? ' checked' : ''}><img src="${escapeHtml(u.avatarUrl)}" width="32" height="32" style="border-radius:4px" alt=""> ${escapeHtml(u.nickname)}</label>`).join('');
  const asks = p.scope === 'snsapi_userinfo' ? '获取你的昵称、头像' : '获取你的身份标识 (openid)';
  return `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>微信授权 (模拟)</title>
<body style="font-family:-apple-system,sans-serif;max-width:420px;margin:0 auto;padding:24px;color:#222">
<p style="color:#888;font-size:13px">本地微信模拟器 · WeChat emulator</p>
<h1 style="font-size:20px">${escapeHtml(app.originalId)} 申请${asks}</h1>
<form method="post" action="/connect/oauth2/authorize/confirm">${hidden}
${options || '<p style="color:#888">还没有模拟用户，填写昵称新建一个。</p>'}
<p><input name="nickname" placeholder="或新建用户：昵称" maxlength="32" style="width:100%;padding:10px;box-sizing:border-box"></p>
<button style="width:100%;padding:12px;background:#07c160;color:#fff;border:0;border-radius:6px;font-size:16px">允许 Allow</button>
</form></body></html>`;
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) {
      try {
        out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        /* ignore a malformed cookie */
      }
    }
  }
  return out;
}

async function readText(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(req: IncomingMessage): Promise<Json | null> {
  try {
    const text = await readText(req, 1_048_576);
    if (!text) return {};
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
  } catch {
    return null;
  }
}

/** Defaults for a demo account (sandbox): stable across restarts so a newcomer's admin settings keep working. */
export const DEMO_APP = {
  appId: 'wx0000000000sandbox',
  secret: 'sandbox-app-secret-0123456789abcdef',
  token: 'sandboxtoken',
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
} as const;

export { randomNonce };
