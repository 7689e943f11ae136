import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../core/config/app-config.js';
import { InjectPluginSettings, type PluginSettings } from '../../../core/plugin/index.js';
import { WechatpaySecret } from '../entities/index.js';
import { SecretBox } from './secret-box.js';

export type VerifyMode = 'public_key' | 'platform_certificate';

export interface WechatpaySettings {
  appid: string;
  mchid: string;
  serial: string;
  apiBase: string;
  verifyMode: VerifyMode;
  publicKeyId: string;
  transferSceneId: string;
  transferPerception: string;
  reconcile: boolean;
}

export const SECRET_NAMES = ['apiV3Key', 'privateKey', 'platformKey'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

/** Everything needed to talk to WeChat Pay; secrets included — never log or serialize it. */
export interface WechatpayConfig {
  appid: string;
  mchid: string;
  serial: string;
  apiBase: string;
  verifyMode: VerifyMode;
  /** PUB_KEY_ID_… or the platform certificate's serial: what Wechatpay-Serial must say. */
  platformSerial: string;
  apiV3Key: string;
  privateKey: string;
  /** The WeChat Pay public key or platform certificate (PEM). */
  platformKey: string;
  transferSceneId: string;
  transferPerception: string;
}

export type Source = 'env' | 'admin' | 'unset';

export interface ConfigStatus {
  config: WechatpayConfig | null;
  /** Plain-words problems: what is missing or malformed. */
  problems: string[];
  sources: Record<string, Source>;
  /** Non-secret values for display. */
  display: { appid: string; mchid: string; serial: string; apiBase: string; verifyMode: VerifyMode; platformSerial: string; secretsSet: Record<SecretName, boolean> };
}

export const PRODUCTION_HOSTS = ['api.mch.weixin.qq.com', 'api2.mch.weixin.qq.com'];

/** True when the base URL is WeChat Pay itself (not the emulator). */
export function isWechatHost(apiBase: string): boolean {
  try {
    return PRODUCTION_HOSTS.includes(new URL(apiBase).hostname);
  } catch {
    return false;
  }
}

/**
 * Merchant configuration: non-secret values from the plugin settings, secrets from the encrypted
 * wxpay_secret table; the WECHATPAY_* environment overrides both.
 */
@Injectable()
export class WechatpayConfigService {
  private readonly logger = new Logger('WechatPay');
  private readonly box: SecretBox;
  private cache: { at: number; status: ConfigStatus } | null = null;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly app: AppConfig,
    @InjectPluginSettings('wechatpay') private readonly settings: PluginSettings<WechatpaySettings>,
  ) {
    this.box = new SecretBox(app.sessionSecret);
  }

  get publicUrl(): string {
    return this.app.publicUrl;
  }

  /** The plugin's settings as saved (non-secret). */
  async settingsValues(): Promise<Readonly<WechatpaySettings>> {
    return this.settings.get();
  }

  async current(): Promise<WechatpayConfig | null> {
    return (await this.status()).config;
  }

  /** The configuration or a 409 that says what is missing. */
  async require(): Promise<WechatpayConfig> {
    const s = await this.status();
    if (!s.config) throw new WechatpayNotConfigured(s.problems);
    return s.config;
  }

  invalidate(): void {
    this.cache = null;
  }

  async status(): Promise<ConfigStatus> {
    if (this.cache && Date.now() - this.cache.at < 5000) return this.cache.status;
    const status = await this.load();
    this.cache = { at: Date.now(), status };
    return status;
  }

  /** Stores secrets encrypted; "" leaves a value as it is. */
  async saveSecrets(values: Partial<Record<SecretName, string>>, clear: SecretName[] = []): Promise<void> {
    const repo = this.ds.getRepository(WechatpaySecret);
    for (const name of SECRET_NAMES) {
      const v = values[name]?.trim();
      if (v) {
        const sealed = this.box.seal(name, v);
        const row = await repo.findOneBy({ name });
        if (row) await repo.update({ id: row.id }, { value: sealed });
        else await repo.save(repo.create({ name, value: sealed }));
      } else if (clear.includes(name)) {
        await repo.delete({ name });
      }
    }
    this.invalidate();
  }

  private async load(): Promise<ConfigStatus> {
    const s = await this.settings.get();
    const env = process.env;
    const sources: Record<string, Source> = {};
    const pick = (key: string, envName: string, fromSettings: string): string => {
      const e = env[envName]?.trim();
      if (e) {
        sources[key] = 'env';
        return e;
      }
      sources[key] = fromSettings ? 'admin' : 'unset';
      return fromSettings;
    };
    const problems: string[] = [];
    const appid = pick('appid', 'WECHATPAY_APPID', s.appid);
    const mchid = pick('mchid', 'WECHATPAY_MCHID', s.mchid);
    const serial = pick('serial', 'WECHATPAY_SERIAL', s.serial).toUpperCase();
    const apiBase = pick('apiBase', 'WECHATPAY_API_BASE', s.apiBase).replace(/\/+$/, '');
    const publicKeyId = pick('publicKeyId', 'WECHATPAY_PUBLIC_KEY_ID', s.publicKeyId);
    const envMode = env.WECHATPAY_VERIFY_MODE?.trim();
    const verifyMode: VerifyMode = envMode === 'public_key' || envMode === 'platform_certificate' ? envMode : s.verifyMode;

    const stored = new Map<string, string>();
    for (const row of await this.ds.getRepository(WechatpaySecret).find()) {
      try {
        stored.set(row.name, this.box.open(row.name, row.value));
      } catch {
        problems.push(`保存的 ${row.name} 无法解密（SESSION_SECRET 变过？）请重新填写`);
      }
    }
    const secret = (key: SecretName, envValue: string | undefined, envPath: string | undefined): string => {
      if (envValue?.trim()) {
        sources[key] = 'env';
        return envValue.trim();
      }
      if (envPath?.trim()) {
        sources[key] = 'env';
        try {
          return readFileSync(envPath.trim(), 'utf8').trim();
        } catch {
          problems.push(`无法读取文件 ${envPath.trim()}`);
          return '';
        }
      }
      const v = stored.get(key) ?? '';
      sources[key] = v ? 'admin' : 'unset';
      return v;
    };
    const apiV3Key = secret('apiV3Key', env.WECHATPAY_APIV3_KEY, undefined);
    const privateKey = secret('privateKey', undefined, env.WECHATPAY_PRIVATE_KEY_PATH);
    const platformKey = secret('platformKey', undefined, env.WECHATPAY_PUBLIC_KEY_PATH);

    if (!appid) problems.push('未填写 AppID');
    if (!mchid) problems.push('未填写商户号');
    if (!serial) problems.push('未填写商户 API 证书序列号');
    if (!apiV3Key) problems.push('未设置 APIv3 密钥');
    else if (Buffer.byteLength(apiV3Key) !== 32) problems.push('APIv3 密钥应为 32 个字符');
    if (!privateKey) problems.push('未设置商户 API 私钥（apiclient_key.pem）');
    else {
      try {
        createPrivateKey(privateKey);
      } catch {
        problems.push('商户 API 私钥不是有效的 PEM 私钥');
      }
    }
    let platformSerial = '';
    if (!platformKey) problems.push(verifyMode === 'public_key' ? '未设置微信支付公钥（pub_key.pem）' : '未设置微信支付平台证书');
    else if (verifyMode === 'public_key') {
      if (!publicKeyId) problems.push('未填写微信支付公钥 ID（PUB_KEY_ID_…）');
      platformSerial = publicKeyId;
      try {
        createPublicKey(platformKey);
      } catch {
        problems.push('微信支付公钥不是有效的 PEM 公钥');
      }
    } else {
      try {
        platformSerial = new X509Certificate(platformKey).serialNumber.toUpperCase();
      } catch {
        problems.push('平台证书不是有效的 PEM 证书');
      }
    }
    if (platformSerial && platformSerial === serial) problems.push('平台证书序列号与商户证书序列号相同：请检查是否填反');

    const config: WechatpayConfig | null = problems.length ? null : {
      appid, mchid, serial, apiBase, verifyMode, platformSerial, apiV3Key, privateKey, platformKey, transferSceneId: s.transferSceneId, transferPerception: s.transferPerception,
    };
    if (problems.length && this.cache?.status.config) this.logger.warn(`WeChat Pay configuration became incomplete: ${problems.join('; ')}`);
    return {
      config, problems, sources,
      display: { appid, mchid, serial, apiBase, verifyMode, platformSerial, secretsSet: { apiV3Key: !!apiV3Key, privateKey: !!privateKey, platformKey: !!platformKey } },
    };
  }
}

export class WechatpayNotConfigured extends Error {
  constructor(readonly problems: string[]) {
    super(`WeChat Pay is not configured: ${problems.join('; ')}`);
  }
}
