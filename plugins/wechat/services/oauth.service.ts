import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Member } from '../../../core/customer/entities/member.entity.js';
import { MemberService } from '../../../core/customer/member.service.js';
import { WechatConfigService } from './wechat-config.service.js';
import { WechatApiError } from './wechat-errors.js';
import { getJson, WechatNotConfiguredError } from './token-manager.service.js';

export type OAuthScope = 'snsapi_base' | 'snsapi_userinfo';

export interface SnsToken {
  accessToken: string;
  openid: string;
  unionid: string | null;
  scope: string;
}

export interface SnsUserInfo {
  openid: string;
  nickname: string;
  headimgurl: string;
  unionid: string | null;
}

/**
 * Web OAuth (网页授权) of the official account — the three calls written here rather than with
 * `wechat-oauth`, which hard-codes WeChat's hosts: the consent URL (connect/oauth2/authorize), the
 * code exchange (sns/oauth2/access_token) and the profile (sns/userinfo, snsapi_userinfo only).
 */
@Injectable()
export class WechatOAuthService {
  private readonly logger = new Logger('WeChat');

  constructor(private readonly config: WechatConfigService, private readonly members: MemberService) {}

  callbackUrl(): string {
    return `${this.config.publicUrl}/wechat/oauth/callback`;
  }

  /** The consent page to send the browser to (with `#wechat_redirect`, as the documents require). */
  async authorizeUrl(scope: OAuthScope, state: string): Promise<string> {
    const a = await this.config.account();
    if (!a.appId) throw new WechatNotConfiguredError();
    const q = new URLSearchParams({ appid: a.appId, redirect_uri: this.callbackUrl(), response_type: 'code', scope, state });
    return `${a.openBase}/connect/oauth2/authorize?${q}#wechat_redirect`;
  }

  newState(): string {
    return randomBytes(12).toString('hex');
  }

  /** Exchanges the one-time code (40029 invalid, 40163 already used are WechatApiErrors). */
  async exchangeCode(code: string): Promise<SnsToken> {
    const a = await this.config.account();
    if (!a.appId || !a.appSecret) throw new WechatNotConfiguredError();
    const q = new URLSearchParams({ appid: a.appId, secret: a.appSecret, code, grant_type: 'authorization_code' });
    const data = await getJson(`${a.apiBase}/sns/oauth2/access_token?${q}`);
    if (typeof data.errcode === 'number' && data.errcode !== 0) throw new WechatApiError(data.errcode, String(data.errmsg ?? ''), 'sns/oauth2/access_token');
    if (typeof data.openid !== 'string' || typeof data.access_token !== 'string') throw new WechatApiError(-1, 'no openid in the answer', 'sns/oauth2/access_token');
    return { accessToken: data.access_token, openid: data.openid, unionid: typeof data.unionid === 'string' ? data.unionid : null, scope: String(data.scope ?? '') };
  }

  async userInfo(token: SnsToken): Promise<SnsUserInfo> {
    const a = await this.config.account();
    const q = new URLSearchParams({ access_token: token.accessToken, openid: token.openid, lang: 'zh_CN' });
    const data = await getJson(`${a.apiBase}/sns/userinfo?${q}`);
    if (typeof data.errcode === 'number' && data.errcode !== 0) throw new WechatApiError(data.errcode, String(data.errmsg ?? ''), 'sns/userinfo');
    return {
      openid: String(data.openid ?? token.openid), nickname: String(data.nickname ?? '').slice(0, 64), headimgurl: String(data.headimgurl ?? '').slice(0, 255),
      unionid: typeof data.unionid === 'string' ? data.unionid : token.unionid,
    };
  }

  /** Signs in by code: the member by openid (and unionid), created on the first visit. */
  async memberForCode(code: string): Promise<{ member: Member; scope: string }> {
    const token = await this.exchangeCode(code);
    let profile: { unionid: string | null; nickname?: string; avatarUrl?: string | null } = { unionid: token.unionid };
    if (token.scope.split(',').includes('snsapi_userinfo')) {
      try {
        const info = await this.userInfo(token);
        profile = { unionid: info.unionid, nickname: info.nickname || undefined, avatarUrl: info.headimgurl || null };
      } catch (err) {
        this.logger.warn(`WeChat sns/userinfo failed: ${(err as Error).message}`);
      }
    }
    const member = await this.members.findOrCreateByOpenid(token.openid, 'wechat', profile);
    return { member, scope: token.scope };
  }
}
