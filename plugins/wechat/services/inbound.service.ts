import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan } from 'typeorm';
import { Member } from '../../../core/customer/entities/member.entity.js';
import { MemberService } from '../../../core/customer/member.service.js';
import { WechatFollower } from '../entities/follower.entity.js';
import { WechatInboundMessage } from '../entities/inbound-message.entity.js';
import { DistributionBridge } from './distribution-bridge.js';
import type { WechatInbound, WechatMessageContext, WechatMessageHandler, WechatReply } from './message-types.js';
import { WechatConfigService, type WechatAccount } from './wechat-config.service.js';
import { decryptMessage, encryptMessage, messageSignature, sameSignature, serverSignature, WechatCryptoError } from './wechat-crypto.js';
import { buildWechatXml, field, parseWechatXml, WechatXmlError, type XmlFields } from './wechat-xml.js';

/** Largest message body accepted (WeChat's messages are a few KB). */
export const MAX_BODY_BYTES = 64 * 1024;

export interface PushQuery {
  signature?: string;
  timestamp?: string;
  nonce?: string;
  echostr?: string;
  openid?: string;
  encrypt_type?: string;
  msg_signature?: string;
}

export interface InboundAnswer {
  status: number;
  contentType: string;
  body: string;
}

const refuse = (status: number, message: string): InboundAnswer => ({ status, contentType: 'text/plain; charset=utf-8', body: message });

/** The handlers plugins (and the built-ins) register. */
@Injectable()
export class WechatMessageHandlers {
  private readonly handlers: WechatMessageHandler[] = [];

  register(handler: WechatMessageHandler): void {
    if (this.handlers.some((h) => h.name === handler.name)) throw new Error(`WeChat message handler "${handler.name}" is registered twice`);
    this.handlers.push(handler);
    this.handlers.sort((a, b) => (a.priority ?? 500) - (b.priority ?? 500) || a.name.localeCompare(b.name));
  }

  list(): readonly WechatMessageHandler[] {
    return this.handlers;
  }
}

/**
 * The server endpoint's logic: the GET handshake, then for every POST — size and signature checks,
 * decryption in safe mode (安全模式) with the appid check, XML parsing, de-duplication of WeChat's
 * retries in the database (so several instances agree), the handlers, and the reply (encrypted in
 * safe mode) within WeChat's 5 s. Anything that fails a check is refused before anything runs.
 */
@Injectable()
export class WechatInboundService implements OnModuleInit {
  private readonly logger = new Logger('WeChat');
  private readonly pending = new Set<Promise<unknown>>();
  /** WeChat waits 5 s for a reply: answer "success" if the handlers are not done by then (they go on). */
  replyBudgetMs = 4500;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly config: WechatConfigService,
    private readonly handlers: WechatMessageHandlers,
    private readonly members: MemberService,
    private readonly bridge: DistributionBridge,
  ) {}

  onModuleInit(): void {
    this.handlers.register({ name: 'wechat:follow', priority: 10, matches: (m) => m.msgType === 'event' && ['subscribe', 'SCAN', 'unsubscribe'].includes(m.event ?? ''), handle: (m, ctx) => this.onFollowEvent(m, ctx) });
    this.handlers.register({
      name: 'wechat:welcome', priority: 50, matches: (m) => m.msgType === 'event' && m.event === 'subscribe',
      handle: async () => {
        const { welcomeMessage } = await this.config.content();
        return welcomeMessage.trim() ? { type: 'text', content: welcomeMessage } : null;
      },
    });
    this.handlers.register({
      name: 'wechat:keywords', priority: 100, matches: (m) => m.msgType === 'text' || (m.msgType === 'event' && m.event === 'CLICK'),
      handle: async (m) => {
        const text = (m.msgType === 'text' ? m.content : m.eventKey)?.trim() ?? '';
        if (!text) return null;
        const { keywordReplies } = await this.config.content();
        const hit = keywordReplies.find((k) => (k.match === 'contains' ? text.includes(k.keyword) : text === k.keyword));
        return hit ? { type: 'text', content: hit.reply } : null;
      },
    });
  }

  /** GET /wechat: the console's URL check. Returns echostr when the signature is right. */
  async handshake(q: PushQuery): Promise<InboundAnswer> {
    const account = await this.config.account();
    if (!account.token) return refuse(403, 'the WeChat Token is not configured');
    if (!q.timestamp || !q.nonce || !q.echostr || !sameSignature(q.signature, serverSignature(account.token, q.timestamp, q.nonce))) return refuse(403, 'invalid signature');
    return { status: 200, contentType: 'text/plain; charset=utf-8', body: q.echostr };
  }

  /** POST /wechat. */
  async receive(q: PushQuery, body: unknown): Promise<InboundAnswer> {
    if (typeof body !== 'string') return refuse(400, 'send the message as text/xml');
    if (Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES) return refuse(413, 'message too large');
    const account = await this.config.account();
    if (!account.token) return refuse(403, 'the WeChat Token is not configured');
    if (!q.timestamp || !q.nonce) return refuse(403, 'invalid signature');
    const safe = q.encrypt_type === 'aes';
    let fields: XmlFields;
    try {
      if (safe) {
        if (!account.encodingAesKey) return refuse(403, 'the EncodingAESKey is not configured');
        const outer = parseWechatXml(body);
        const encrypt = field(outer, 'Encrypt');
        if (!encrypt || !sameSignature(q.msg_signature, messageSignature(account.token, q.timestamp, q.nonce, encrypt))) return refuse(403, 'invalid msg_signature');
        const { message, appId } = decryptMessage(account.encodingAesKey, encrypt);
        if (appId !== account.appId) return refuse(403, 'message encrypted for another appid');
        fields = parseWechatXml(message);
      } else {
        if (account.messageMode === 'safe') return refuse(403, 'plain messages are refused in safe mode');
        if (!sameSignature(q.signature, serverSignature(account.token, q.timestamp, q.nonce))) return refuse(403, 'invalid signature');
        fields = parseWechatXml(body);
      }
    } catch (err) {
      if (err instanceof WechatXmlError || err instanceof WechatCryptoError) return refuse(400, err.message);
      throw err;
    }
    const message = toInbound(fields);
    if (!message) return refuse(400, 'missing ToUserName, FromUserName, CreateTime or MsgType');
    const replyXml = await this.process(message);
    if (!replyXml) return { status: 200, contentType: 'text/plain; charset=utf-8', body: 'success' };
    return { status: 200, contentType: 'application/xml; charset=utf-8', body: safe ? this.seal(account, replyXml, q.nonce) : replyXml };
  }

  /** Waits for handlers still running after a reply was sent (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  /** Deletes de-duplication rows older than `days` (WeChat retries within seconds). */
  async prune(days = 3): Promise<number> {
    const res = await this.ds.getRepository(WechatInboundMessage).delete({ createdAt: LessThan(new Date(Date.now() - days * 86_400_000)) });
    return res.affected ?? 0;
  }

  /** Runs the handlers once per message; a retry gets the first answer's reply (or "success"). */
  private async process(m: WechatInbound): Promise<string | null> {
    const key = m.msgId ? `msg:${m.msgId}` : `evt:${m.openid}:${m.createTime}:${m.event ?? m.msgType}`;
    const repo = this.ds.getRepository(WechatInboundMessage);
    const retry = (seen: WechatInboundMessage): string | null => {
      this.logger.debug(`WeChat retry of ${key} (${seen.status}): not handled again`);
      return seen.status === 'done' ? seen.reply : null;
    };
    const known = await repo.findOneBy({ dedupeKey: key.slice(0, 160) });
    if (known) return retry(known);
    try {
      await repo.insert({ dedupeKey: key.slice(0, 160), openid: m.openid.slice(0, 64), msgType: m.msgType.slice(0, 32), event: m.event?.slice(0, 32) ?? null, status: 'processing', reply: null });
    } catch (err) {
      const seen = await repo.findOneBy({ dedupeKey: key.slice(0, 160) }); // a concurrent retry on another instance won
      if (!seen) throw err;
      return retry(seen);
    }
    const run = this.dispatch(m).then(
      async (reply) => {
        const xml = reply ? replyXml(m, reply) : null;
        await repo.update({ dedupeKey: key.slice(0, 160) }, { status: 'done', reply: xml });
        return xml;
      },
      async (err: Error) => {
        this.logger.error(`WeChat message ${key} failed: ${err.message}`);
        await repo.update({ dedupeKey: key.slice(0, 160) }, { status: 'failed' });
        return null;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), this.replyBudgetMs); });
    const first = await Promise.race([run, late]);
    clearTimeout(timer);
    if (first === 'late') {
      this.logger.warn(`WeChat message ${key}: handlers took longer than ${this.replyBudgetMs} ms; answered "success" and let them finish`);
      const p = run.finally(() => this.pending.delete(p));
      this.pending.add(p);
      return null;
    }
    return first;
  }

  private async dispatch(m: WechatInbound): Promise<WechatReply | null> {
    const member = await this.ds.getRepository(Member).findOneBy({ openid: m.openid });
    const ctx: WechatMessageContext = { memberId: member?.id ?? null, replied: false };
    let reply: WechatReply | null = null;
    for (const h of this.handlers.list()) {
      if (h.matches && !h.matches(m)) continue;
      try {
        const r = await h.handle(m, ctx);
        if (r && !reply) {
          reply = r;
          ctx.replied = true;
        }
      } catch (err) {
        this.logger.error(`WeChat message handler ${h.name} failed: ${(err as Error).message}`);
      }
    }
    return reply;
  }

  /** subscribe / SCAN / unsubscribe: the follower row, the member, and a QR scene's referral. */
  private async onFollowEvent(m: WechatInbound, ctx: WechatMessageContext): Promise<null> {
    const repo = this.ds.getRepository(WechatFollower);
    const now = new Date();
    if (m.event === 'unsubscribe') {
      await repo.update({ openid: m.openid }, { subscribed: false, unsubscribedAt: now });
      return null;
    }
    if (ctx.memberId === null) ctx.memberId = (await this.members.findOrCreateByOpenid(m.openid, 'wechat')).id;
    const existing = await repo.findOneBy({ openid: m.openid });
    const patch = { memberId: ctx.memberId, subscribed: true, ...(m.event === 'subscribe' ? { subscribedAt: now } : {}), ...(m.scene ? { scene: m.scene.slice(0, 64) } : {}) };
    if (existing) await repo.update({ id: existing.id }, patch);
    else await repo.insert({ openid: m.openid, unsubscribedAt: null, subscribedAt: now, scene: m.scene?.slice(0, 64) ?? null, ...patch }).catch(() => repo.update({ openid: m.openid }, patch));
    const code = referralCodeFromScene(m.scene);
    if (code && this.bridge.available()) {
      const outcome = await this.bridge.recordReferral(ctx.memberId, code, 'qr');
      this.logger.log(`WeChat ${m.event} via QR ${m.scene}: referral ${outcome}`);
    }
    return null;
  }

  private seal(account: WechatAccount, plainXml: string, nonce: string): string {
    const encrypt = encryptMessage(account.encodingAesKey, account.appId, plainXml);
    const timestamp = String(Math.floor(Date.now() / 1000));
    return buildWechatXml({ Encrypt: encrypt, MsgSignature: messageSignature(account.token, timestamp, nonce, encrypt), TimeStamp: Number(timestamp), Nonce: nonce });
  }
}

/** Distributor QR scenes are "ref_<referral code>". */
export function referralCodeFromScene(scene: string | null): string | null {
  const m = scene ? /^ref_([A-Za-z0-9]{4,16})$/.exec(scene) : null;
  return m ? m[1].toUpperCase() : null;
}

function toInbound(f: XmlFields): WechatInbound | null {
  const toUserName = field(f, 'ToUserName');
  const openid = field(f, 'FromUserName');
  const createTime = Number(field(f, 'CreateTime'));
  const msgType = field(f, 'MsgType');
  if (!toUserName || !openid || !Number.isFinite(createTime) || !msgType || openid.length > 64) return null;
  const event = field(f, 'Event') ?? null;
  const eventKey = field(f, 'EventKey') ?? null;
  let scene: string | null = null;
  if (event === 'subscribe' && eventKey?.startsWith('qrscene_')) scene = eventKey.slice('qrscene_'.length);
  if (event === 'SCAN' && eventKey) scene = eventKey;
  return {
    toUserName, openid, createTime, msgType, event, eventKey, scene,
    content: field(f, 'Content') ?? null, msgId: field(f, 'MsgId') ?? null, ticket: field(f, 'Ticket') ?? null, raw: f,
  };
}

/** The passive reply XML (plain). */
export function replyXml(m: WechatInbound, reply: WechatReply): string {
  const head = { ToUserName: m.openid, FromUserName: m.toUserName, CreateTime: Math.floor(Date.now() / 1000) };
  if (reply.type === 'text') return buildWechatXml({ ...head, MsgType: 'text', Content: reply.content });
  const items = reply.articles.slice(0, 8).map((a) => ({ Title: a.title, Description: a.description ?? '', PicUrl: a.picUrl ?? '', Url: a.url }));
  return buildWechatXml({ ...head, MsgType: 'news', ArticleCount: items.length, Articles: { item: items } });
}
