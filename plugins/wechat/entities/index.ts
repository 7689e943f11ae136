import { WechatConfigEntry } from './config-entry.entity.js';
import { WechatCredential } from './credential.entity.js';
import { WechatFollower } from './follower.entity.js';
import { WechatInboundMessage } from './inbound-message.entity.js';
import { WechatQrCode } from './qrcode.entity.js';
import { WechatTemplateMessage } from './template-message.entity.js';

export { WechatConfigEntry, WechatCredential, WechatFollower, WechatInboundMessage, WechatQrCode, WechatTemplateMessage };

export const WECHAT_ENTITIES = [WechatConfigEntry, WechatCredential, WechatFollower, WechatInboundMessage, WechatQrCode, WechatTemplateMessage];
