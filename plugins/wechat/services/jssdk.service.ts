import { Injectable } from '@nestjs/common';
import { BadInputError } from '../../../core/plugin/index.js';
import { WechatConfigService } from './wechat-config.service.js';
import { jsSdkSignature, randomNonce } from './wechat-crypto.js';
import { WechatTokenManager } from './token-manager.service.js';

export interface JsSdkConfig {
  appId: string;
  timestamp: number;
  nonceStr: string;
  signature: string;
  jsApiList: string[];
}

export const SHARE_APIS = ['updateAppMessageShareData', 'updateTimelineShareData', 'onMenuShareAppMessage', 'onMenuShareTimeline'];

/** wx.config for a page of the mall: the signature over the jsapi_ticket and the exact page URL (without #…). */
@Injectable()
export class WechatJsSdkService {
  constructor(private readonly config: WechatConfigService, private readonly tokens: WechatTokenManager) {}

  async configFor(pageUrl: string, jsApiList = SHARE_APIS): Promise<JsSdkConfig> {
    const url = pageUrl.split('#')[0];
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new BadInputError('url', 'url must be the absolute URL of the page');
    }
    // only the mall's own pages: the JS interface domain in the console is the mall's domain anyway
    if (parsed.origin !== new URL(this.config.publicUrl).origin) throw new BadInputError('url', `url must be a page of ${this.config.publicUrl}`);
    const { appId } = await this.config.account();
    const ticket = await this.tokens.jsapiTicket();
    const timestamp = Math.floor(Date.now() / 1000);
    const nonceStr = randomNonce(16);
    return { appId, timestamp, nonceStr, signature: jsSdkSignature({ jsapi_ticket: ticket, noncestr: nonceStr, timestamp, url }), jsApiList };
  }
}
