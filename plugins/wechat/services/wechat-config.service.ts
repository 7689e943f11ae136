import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../core/config/app-config.js';
import { BadInputError } from '../../../core/plugin/index.js';
import { WechatConfigEntry } from '../entities/config-entry.entity.js';
import { isValidEncodingAesKey } from './wechat-crypto.js';
import { SecretBox } from './secret-box.js';

export type MessageMode = 'plain' | 'compatible' | 'safe';
export type TokenApi = 'stable' | 'classic';
export type ConfigSource = 'env' | 'admin' | 'emulator' | 'default';

/** The official account the mall is bound to, and where its APIs are. */
export interface WechatAccount {
  appId: string;
  appSecret: string;
  token: string;
  encodingAesKey: string;
  messageMode: MessageMode;
  /** cgi-bin and sns APIs: https://api.weixin.qq.com, a regional host, or the emulator. */
  apiBase: string;
  /** The OAuth consent page host (open.weixin.qq.com; the emulator serves it itself). */
  openBase: string;
  /** showqrcode host (mp.weixin.qq.com; the emulator serves it itself). */
  mpBase: string;
  tokenApi: TokenApi;
}

export interface KeywordReply {
  keyword: string;
  match: 'exact' | 'contains';
  reply: string;
}

export interface MenuButton {
  type?: 'click' | 'view';
  name: string;
  key?: string;
  url?: string;
  sub_button?: MenuButton[];
}

export interface WechatMenu {
  button: MenuButton[];
}

export const TEMPLATE_KINDS = ['orderPaid', 'orderShipped', 'groupFormed', 'commissionEarned', 'withdrawalPaid'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

/** What the merchant edits besides credentials. */
export interface WechatContent {
  welcomeMessage: string;
  keywordReplies: KeywordReply[];
  menu: WechatMenu | null;
  templates: Partial<Record<TemplateKind, string>>;
  /** Ask for nickname and avatar (snsapi_userinfo) when a member has none yet. */
  askProfile: boolean;
  /** Distributor QR codes: permanent string scenes (limited to 100 000 per account) or 30-day temporary ones. */
  qrPermanent: boolean;
}

export interface WechatSettingsView {
  account: WechatAccount;
  content: WechatContent;
  sources: Record<keyof WechatAccount, ConfigSource>;
}

const ACCOUNT_KEYS = ['appId', 'appSecret', 'token', 'encodingAesKey', 'messageMode', 'apiBase', 'tokenApi'] as const;
type AccountKey = (typeof ACCOUNT_KEYS)[number];
const SECRET_KEYS = new Set<string>(['appSecret', 'token', 'encodingAesKey']);
const ENV_NAMES: Record<AccountKey, string> = {
  appId: 'WECHAT_APP_ID', appSecret: 'WECHAT_APP_SECRET', token: 'WECHAT_TOKEN', encodingAesKey: 'WECHAT_ENCODING_AES_KEY',
  messageMode: 'WECHAT_MESSAGE_MODE', apiBase: 'WECHAT_API_BASE', tokenApi: 'WECHAT_TOKEN_API',
};
const DEFAULTS: Record<AccountKey, string> = {
  appId: '', appSecret: '', token: '', encodingAesKey: '', messageMode: 'plain', apiBase: 'https://api.weixin.qq.com', tokenApi: 'stable',
};
export const DEFAULT_CONTENT: WechatContent = {
  welcomeMessage: '欢迎关注！点击菜单「进入商城」开始逛逛。',
  keywordReplies: [],
  menu: null,
  templates: {},
  askProfile: true,
  qrPermanent: true,
};

const CACHE_MS = 3000;

/**
 * The account settings: the environment (WECHAT_*) wins over what the merchant saved in admin, which
 * wins over the in-process emulator's demo account (sandbox) and defaults. Secrets are stored
 * encrypted (key from SESSION_SECRET), never logged and never sent back to the browser.
 */
@Injectable()
export class WechatConfigService {
  private readonly logger = new Logger('WeChat');
  private readonly box: SecretBox;
  private readonly env: Partial<Record<AccountKey, string>> = {};
  private emulatorDefaults: Partial<Record<AccountKey, string>> = {};
  private cache: { at: number; view: WechatSettingsView } | null = null;

  constructor(@InjectDataSource() private readonly ds: DataSource, @Inject(APP_CONFIG) readonly appConfig: AppConfig) {
    this.box = new SecretBox(appConfig.sessionSecret);
    for (const key of ACCOUNT_KEYS) {
      const v = process.env[ENV_NAMES[key]]?.trim();
      if (v) this.env[key] = v;
    }
  }

  get publicUrl(): string {
    return this.appConfig.publicUrl;
  }

  /** The public URL the merchant pastes into the WeChat console. */
  get serverUrl(): string {
    return `${this.appConfig.publicUrl}/wechat`;
  }

  /** Used by the in-process emulator (sandbox): its demo account fills whatever nobody configured. */
  useEmulatorDefaults(values: Partial<Record<AccountKey, string>>): void {
    this.emulatorDefaults = values;
    this.cache = null;
  }

  sealer(): SecretBox {
    return this.box;
  }

  envName(key: AccountKey): string {
    return ENV_NAMES[key];
  }

  async view(): Promise<WechatSettingsView> {
    if (this.cache && Date.now() - this.cache.at < CACHE_MS) return this.cache.view;
    const rows = await this.ds.getRepository(WechatConfigEntry).find();
    const saved = new Map<string, string>();
    for (const r of rows) {
      if (!r.isSecret) saved.set(r.key, r.value);
      else {
        const plain = this.box.open(r.value);
        if (plain === null) this.logger.warn(`The saved WeChat ${r.key} cannot be decrypted: SESSION_SECRET changed since it was saved. Enter it again in admin.`);
        else saved.set(r.key, plain);
      }
    }
    const sources = {} as Record<keyof WechatAccount, ConfigSource>;
    const pick = (key: AccountKey): string => {
      if (this.env[key]) { sources[key] = 'env'; return this.env[key]!; }
      const s = saved.get(key);
      if (s) { sources[key] = 'admin'; return s; }
      if (this.emulatorDefaults[key]) { sources[key] = 'emulator'; return this.emulatorDefaults[key]!; }
      sources[key] = 'default';
      return DEFAULTS[key];
    };
    const apiBase = pick('apiBase').replace(/\/+$/, '');
    const official = /(^|\.)weixin\.qq\.com$/i.test(safeHost(apiBase));
    const mode = pick('messageMode');
    const tokenApi = pick('tokenApi');
    const account: WechatAccount = {
      appId: pick('appId'), appSecret: pick('appSecret'), token: pick('token'), encodingAesKey: pick('encodingAesKey'),
      messageMode: mode === 'safe' || mode === 'compatible' ? mode : 'plain',
      apiBase,
      openBase: (process.env.WECHAT_OPEN_BASE?.trim() || (official ? 'https://open.weixin.qq.com' : apiBase)).replace(/\/+$/, ''),
      mpBase: (process.env.WECHAT_MP_BASE?.trim() || (official ? 'https://mp.weixin.qq.com' : apiBase)).replace(/\/+$/, ''),
      tokenApi: tokenApi === 'classic' ? 'classic' : 'stable',
    };
    sources.openBase = sources.apiBase;
    sources.mpBase = sources.apiBase;
    const json = <T>(key: keyof WechatContent, fallback: T): T => {
      const raw = saved.get(key);
      if (raw === undefined) return fallback;
      try {
        return JSON.parse(raw) as T;
      } catch {
        return fallback;
      }
    };
    const content: WechatContent = {
      welcomeMessage: saved.get('welcomeMessage') ?? DEFAULT_CONTENT.welcomeMessage,
      keywordReplies: json('keywordReplies', DEFAULT_CONTENT.keywordReplies),
      menu: json('menu', DEFAULT_CONTENT.menu),
      templates: json('templates', DEFAULT_CONTENT.templates),
      askProfile: json('askProfile', DEFAULT_CONTENT.askProfile),
      qrPermanent: json('qrPermanent', DEFAULT_CONTENT.qrPermanent),
    };
    const view = { account, content, sources };
    this.cache = { at: Date.now(), view };
    return view;
  }

  async account(): Promise<WechatAccount> {
    return (await this.view()).account;
  }

  async content(): Promise<WechatContent> {
    return (await this.view()).content;
  }

  /** AppID and AppSecret are known: server APIs can be called. */
  async isConfigured(): Promise<boolean> {
    const a = await this.account();
    return !!(a.appId && a.appSecret);
  }

  /**
   * Saves account fields. A secret given as "" or left out keeps its saved value; `clear` removes
   * saved values. Fields the environment sets may still be saved but the environment keeps winning.
   */
  async saveAccount(patch: Partial<Record<AccountKey, string>>, clear: AccountKey[] = []): Promise<void> {
    const problems: Array<[string, string]> = [];
    if (patch.appId !== undefined && patch.appId !== '' && !/^wx[0-9a-zA-Z]{6,30}$/.test(patch.appId)) problems.push(['appId', 'AppID looks like wx followed by letters and digits']);
    if (patch.token !== undefined && patch.token !== '' && !/^[A-Za-z0-9]{3,32}$/.test(patch.token)) problems.push(['token', 'Token must be 3-32 letters or digits']);
    if (patch.encodingAesKey !== undefined && patch.encodingAesKey !== '' && !isValidEncodingAesKey(patch.encodingAesKey)) problems.push(['encodingAesKey', 'EncodingAESKey must be 43 letters or digits']);
    if (patch.appSecret !== undefined && patch.appSecret !== '' && !/^[A-Za-z0-9_-]{8,64}$/.test(patch.appSecret)) problems.push(['appSecret', 'AppSecret must be letters and digits']);
    if (patch.messageMode !== undefined && !['plain', 'compatible', 'safe'].includes(patch.messageMode)) problems.push(['messageMode', 'message mode must be plain, compatible or safe']);
    if (patch.tokenApi !== undefined && !['stable', 'classic'].includes(patch.tokenApi)) problems.push(['tokenApi', 'token API must be stable or classic']);
    if (patch.apiBase !== undefined && patch.apiBase !== '' && !/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(patch.apiBase)) problems.push(['apiBase', 'API base must be an http(s) URL']);
    if (problems.length) throw new BadInputError(problems[0][0], problems.map((p) => p[1]).join('; '));
    for (const [key, value] of Object.entries(patch) as Array<[AccountKey, string | undefined]>) {
      if (value === undefined || value === '') continue;
      await this.put(key, value, SECRET_KEYS.has(key));
    }
    if (clear.length) for (const key of clear) await this.ds.getRepository(WechatConfigEntry).delete({ key });
    this.cache = null;
  }

  async saveContent(patch: Partial<WechatContent>): Promise<void> {
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      await this.put(key, typeof value === 'string' ? value : JSON.stringify(value), false);
    }
    this.cache = null;
  }

  /** Which secrets have a value in force (for "已设置" in admin), never the values. */
  async secretStatus(): Promise<Record<'appSecret' | 'token' | 'encodingAesKey', boolean>> {
    const a = await this.account();
    return { appSecret: !!a.appSecret, token: !!a.token, encodingAesKey: !!a.encodingAesKey };
  }

  invalidate(): void {
    this.cache = null;
  }

  private async put(key: string, value: string, secret: boolean): Promise<void> {
    const repo = this.ds.getRepository(WechatConfigEntry);
    const stored = secret ? this.box.seal(value) : value;
    const existing = await repo.findOneBy({ key });
    if (existing) await repo.update({ id: existing.id }, { value: stored, isSecret: secret });
    else {
      try {
        await repo.insert({ key, value: stored, isSecret: secret });
      } catch {
        await repo.update({ key }, { value: stored, isSecret: secret }); // a concurrent save inserted it
      }
    }
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
