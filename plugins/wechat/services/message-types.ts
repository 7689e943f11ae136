import type { XmlFields } from './wechat-xml.js';

/** A message or event pushed by WeChat, decrypted and parsed. */
export interface WechatInbound {
  /** The account's original id (gh_…). */
  toUserName: string;
  /** The follower's openid. */
  openid: string;
  createTime: number;
  /** text, image, voice, video, location, link, event … */
  msgType: string;
  /** For events: subscribe, unsubscribe, SCAN, CLICK, VIEW … */
  event: string | null;
  /** EventKey: qrscene_<scene> on subscribe, the scene on SCAN, the key on CLICK, the URL on VIEW. */
  eventKey: string | null;
  /** Text messages. */
  content: string | null;
  msgId: string | null;
  /** The QR ticket of subscribe/SCAN through a parametric QR code. */
  ticket: string | null;
  /** The QR scene of a subscribe/SCAN event (qrscene_ removed), else null. */
  scene: string | null;
  /** Every field as WeChat sent it. */
  raw: XmlFields;
}

/** What a handler may answer (passive reply; WeChat accepts one per message, within 5 seconds). */
export type WechatReply =
  | { type: 'text'; content: string }
  | { type: 'news'; articles: Array<{ title: string; description?: string; picUrl?: string; url: string }> };

export interface WechatMessageContext {
  /** The mall member for this openid (created on subscribe); null when none exists. */
  memberId: number | null;
  /** Replies of handlers that ran before this one. */
  replied: boolean;
}

/**
 * A message handler. Plugins register theirs with `WechatMessageHandlers.register(handler)` (the
 * wechat module is global; declare "dependsOn": ["wechat"]). Handlers run in ascending `priority`
 * for every message that passes the signature check, once per message however often WeChat retries;
 * the first reply returned is sent. A handler that throws is logged and skipped.
 */
export interface WechatMessageHandler {
  /** "<plugin id>:<name>", unique. */
  readonly name: string;
  /** Lower runs first; built-ins: follow 10, welcome 50, keywords 100. Default 500. */
  readonly priority?: number;
  /** Leave out to receive everything. */
  matches?(message: WechatInbound): boolean;
  handle(message: WechatInbound, ctx: WechatMessageContext): Promise<WechatReply | null | void> | WechatReply | null | void;
}
