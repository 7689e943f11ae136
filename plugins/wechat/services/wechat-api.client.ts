import { Injectable, Logger } from '@nestjs/common';
import WechatAPI from 'wechat-api';
import { WechatConfigService, type MenuButton, type WechatMenu } from './wechat-config.service.js';
import { WechatApiError, TOKEN_REJECTED } from './wechat-errors.js';
import { WechatTokenManager, type FetchedCredential } from './token-manager.service.js';

export interface QrCodeResult {
  ticket: string;
  url: string;
  /** Seconds; absent for permanent codes. */
  expireSeconds?: number;
}

export interface TemplateData {
  [key: string]: { value: string; color?: string };
}

export interface WechatUserInfo {
  subscribe: number;
  openid: string;
  unionid?: string;
  subscribe_time?: number;
  subscribe_scene?: string;
  qr_scene_str?: string;
}

type NodeCallback<T> = (err: (Error & { code?: number }) | null, data: T) => void;

/**
 * Our adapter over `wechat-api` for the server APIs (QR codes, menu, template messages, user info,
 * jsapi_ticket). wechat-api's `endpoint`/`mpPrefix` point at the configured host (WeChat, a regional
 * host or the emulator) and its getToken/saveToken hooks are bound to WechatTokenManager, which owns
 * the token's life. wechat-api retries 40001 by asking getToken again — a fresh API object per call
 * lets that second ask return a renewed token — and ignores 42001/40014, which we retry here, once.
 */
@Injectable()
export class WechatApiClient {
  private readonly logger = new Logger('WeChat');

  constructor(private readonly tokens: WechatTokenManager, private readonly config: WechatConfigService) {
    tokens.setTicketFetcher(() => this.fetchJsapiTicket());
  }

  async createQrCode(scene: string, permanent: boolean, expireSeconds = 2_592_000): Promise<QrCodeResult> {
    const r = await this.call<{ ticket: string; url: string; expire_seconds?: number }>('qrcode/create', (api, cb) =>
      permanent ? api.createLimitQRCode(scene, cb) : api.createTmpQRCode(scene, expireSeconds, cb));
    return { ticket: r.ticket, url: r.url, expireSeconds: r.expire_seconds };
  }

  /** The QR image (showqrcode; the ticket URL-encoded, as the documents require). */
  async qrImageUrl(ticket: string): Promise<string> {
    const { mpBase } = await this.config.account();
    return `${mpBase}/cgi-bin/showqrcode?ticket=${encodeURIComponent(ticket)}`;
  }

  async createMenu(menu: WechatMenu): Promise<void> {
    await this.call('menu/create', (api, cb) => api.createMenu(menu, cb));
  }

  async getMenu(): Promise<WechatMenu | null> {
    try {
      const r = await this.call<{ menu?: { button?: MenuButton[] } }>('menu/get', (api, cb) => api.getMenu(cb));
      return r.menu?.button ? { button: r.menu.button } : null;
    } catch (err) {
      if (err instanceof WechatApiError && err.errcode === 46003) return null; // no menu yet
      throw err;
    }
  }

  async sendTemplate(openid: string, templateId: string, url: string | undefined, data: TemplateData): Promise<{ msgid: string }> {
    const r = await this.call<{ msgid: number }>('message/template/send', (api, cb) => api.sendTemplate(openid, templateId, url ? { url } : {}, data, cb));
    return { msgid: String(r.msgid) };
  }

  async getUser(openid: string): Promise<WechatUserInfo> {
    return this.call<WechatUserInfo>('user/info', (api, cb) => api.getUser({ openid, lang: 'zh_CN' }, cb));
  }

  /** Fetches a new jsapi_ticket (called by the token manager under its lease). */
  private async fetchJsapiTicket(): Promise<FetchedCredential> {
    const t = await this.call<{ ticket: string; expireTime: number }>('ticket/getticket', (api, cb) => api.getTicket('jsapi', cb));
    // wechat-api reports expireTime = now + (expires_in - 10) s
    return { value: t.ticket, expiresIn: Math.max(60, Math.round((t.expireTime - Date.now()) / 1000) + 10) };
  }

  private async call<T>(name: string, invoke: (api: WechatAPI, cb: NodeCallback<T>) => void): Promise<T> {
    const account = await this.config.account();
    let token = await this.tokens.accessToken();
    for (let attempt = 0; ; attempt++) {
      let asks = 0;
      let renewed = false;
      let given = token;
      const api = new WechatAPI(account.appId, account.appSecret, (callback) => {
        asks++;
        const next = asks === 1 ? Promise.resolve(given) : this.tokens.renewAccessToken(given).then((t) => { renewed = true; given = t; return t; });
        next.then((t) => callback(null, { accessToken: t, expireTime: Date.now() + 60_000 }), (err: Error) => callback(err));
      }, (_token, callback) => {
        // never reached: getToken always hands wechat-api a token, so it never fetches one itself
        this.logger.warn('wechat-api tried to store a token of its own; ignored (the token manager owns tokens)');
        callback(null);
      });
      api.endpoint = account.apiBase;
      api.mpPrefix = `${account.mpBase}/cgi-bin/`;
      api.setOpts({ timeout: 10_000 });
      api.registerTicketHandle((_type, callback) => callback(null, null), (_type, _ticket, callback) => callback(null));
      try {
        return await new Promise<T>((resolve, reject) => invoke(api, (err, data) => (err ? reject(toError(err, name)) : resolve(data))));
      } catch (err) {
        // 42001 / 40014 (and 40001 when wechat-api's own retry did not renew): one fresh token, one more try
        if (attempt === 0 && !renewed && err instanceof WechatApiError && TOKEN_REJECTED.has(err.errcode)) {
          token = await this.tokens.renewAccessToken(given);
          continue;
        }
        throw err;
      }
    }
  }
}

function toError(err: Error & { code?: number }, api: string): Error {
  if (err.name === 'WeChatAPIError' && typeof err.code === 'number') return new WechatApiError(err.code, err.message, api);
  return new Error(`WeChat ${api} unreachable: ${err.message}`);
}
