import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { WechatpayEvent } from '../entities/index.js';
import { WechatpayApi } from './api.js';
import { WechatpayConfigService, type WechatpayConfig } from './config.service.js';

/** A configured API client (rebuilt when the configuration changes) and the event log. */
@Injectable()
export class WechatpayGateway {
  private readonly logger = new Logger('WechatPay');
  private cached: { key: string; api: WechatpayApi } | null = null;

  constructor(@InjectDataSource() private readonly ds: DataSource, readonly config: WechatpayConfigService) {}

  async api(): Promise<WechatpayApi> {
    return this.apiFor(await this.config.require());
  }

  apiFor(cfg: WechatpayConfig): WechatpayApi {
    const key = [cfg.appid, cfg.mchid, cfg.serial, cfg.apiBase, cfg.platformSerial, cfg.apiV3Key, cfg.privateKey, cfg.platformKey].join('\u0000');
    if (this.cached?.key !== key) this.cached = { key, api: new WechatpayApi(cfg) };
    return this.cached.api;
  }

  /** Records what happened (never secrets). Refused and ignored things are also logged as warnings. */
  async record(kind: string, ref: string, outcome: 'applied' | 'ignored' | 'refused', detail: string): Promise<void> {
    if (outcome !== 'applied') this.logger.warn(`${kind} ${ref || '-'} ${outcome}: ${detail}`);
    try {
      await this.ds.getRepository(WechatpayEvent).insert({ kind, ref: ref.slice(0, 64), outcome, detail: detail.slice(0, 255) });
    } catch (err) {
      this.logger.error(`could not record ${kind} event: ${String(err)}`);
    }
  }

  async recent(limit = 50): Promise<WechatpayEvent[]> {
    return this.ds.getRepository(WechatpayEvent).find({ order: { id: 'DESC' }, take: limit });
  }
}

/** Plain words for WeChat Pay error codes the merchant may meet. */
export function explainError(code: string, message: string): string {
  const known: Record<string, string> = {
    SIGN_ERROR: '签名错误：商户号、商户证书序列号与商户私钥不匹配，或服务器时间不准',
    RESPONSE_NOT_VERIFIED: '收到的应答无法用所配置的微信支付公钥/平台证书验证：请检查验签方式、公钥 ID 与公钥文件是否对应',
    NETWORK_ERROR: '无法连接微信支付接口：请检查接口地址与服务器网络（防火墙、DNS）',
    APPID_MCHID_NOT_MATCH: 'AppID 与商户号未绑定：请在商户平台“AppID 账号管理”中关联公众号',
    MCH_NOT_EXISTS: '商户号不存在：请检查商户号',
    NO_AUTH: '商户号没有该接口权限：请在商户平台开通相应产品',
    PARAM_ERROR: '参数错误',
    INVALID_REQUEST: '请求不符合业务规则',
    NOT_ENOUGH: '商户账户余额不足',
    FREQUENCY_LIMITED: '请求过于频繁，请稍后重试',
    SYSTEM_ERROR: '微信支付系统繁忙，请稍后重试',
  };
  const plain = known[code];
  return plain ? `${plain}（${code}: ${message}）` : `${code}: ${message}`;
}
