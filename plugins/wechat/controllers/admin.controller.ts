import { Body, Controller, Get, HttpCode, Injectable, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsArray, IsBoolean, IsIn, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminOnly, BadInputError, PluginAdminPages } from '../../../core/plugin/index.js';
import { DistributionBridge } from '../services/distribution-bridge.js';
import { validateMenu, WechatMenuService } from '../services/menu.service.js';
import { WechatQrCodeService } from '../services/qrcode.service.js';
import { WechatTemplateMessages } from '../services/template-messages.service.js';
import type { TemplateMessageStatus } from '../entities/template-message.entity.js';
import { WechatTokenManager } from '../services/token-manager.service.js';
import { TEMPLATE_KINDS, WechatConfigService, type KeywordReply, type TemplateKind, type WechatMenu } from '../services/wechat-config.service.js';
import { randomNonce, serverSignature } from '../services/wechat-crypto.js';
import { explainWechatError, WechatApiError } from '../services/wechat-errors.js';

export class AccountInput {
  @ApiPropertyOptional({ example: 'wx1234567890abcdef' }) @IsOptional() @IsString() @MaxLength(32)
  appId?: string;

  @ApiPropertyOptional({ description: 'Write-only; "" keeps the saved value' }) @IsOptional() @IsString() @MaxLength(64)
  appSecret?: string;

  @ApiPropertyOptional({ description: 'Write-only; "" keeps the saved value' }) @IsOptional() @IsString() @MaxLength(32)
  token?: string;

  @ApiPropertyOptional({ description: 'Write-only; 43 characters; "" keeps the saved value' }) @IsOptional() @IsString() @MaxLength(43)
  encodingAesKey?: string;

  @ApiPropertyOptional({ enum: ['plain', 'compatible', 'safe'] }) @IsOptional() @IsIn(['plain', 'compatible', 'safe'])
  messageMode?: 'plain' | 'compatible' | 'safe';

  @ApiPropertyOptional({ enum: ['stable', 'classic'] }) @IsOptional() @IsIn(['stable', 'classic'])
  tokenApi?: 'stable' | 'classic';

  @ApiPropertyOptional({ example: 'https://api.weixin.qq.com' }) @IsOptional() @IsString() @MaxLength(200)
  apiBase?: string;

  @ApiPropertyOptional({ description: 'Saved fields to remove', type: [String] }) @IsOptional() @IsArray() @IsIn(['appId', 'appSecret', 'token', 'encodingAesKey', 'messageMode', 'tokenApi', 'apiBase'], { each: true })
  clear?: Array<'appId' | 'appSecret' | 'token' | 'encodingAesKey' | 'messageMode' | 'tokenApi' | 'apiBase'>;
}

export class ContentInput {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(600)
  welcomeMessage?: string;

  @ApiPropertyOptional({ description: '[{ keyword, match: "exact"|"contains", reply }]' }) @IsOptional() @IsArray()
  keywordReplies?: KeywordReply[];

  @ApiPropertyOptional({ description: '{ orderPaid, orderShipped, groupFormed, commissionEarned, withdrawalPaid }: template ids ("" turns a kind off)' }) @IsOptional() @IsObject()
  templates?: Partial<Record<TemplateKind, string>>;

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  askProfile?: boolean;

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  qrPermanent?: boolean;
}

export class MenuInput {
  @ApiProperty({ description: '{ button: [...] } as in the WeChat documents; links may be mall paths ("/orders")' }) @IsObject()
  menu: WechatMenu;
}

export class QrInput {
  @ApiProperty({ example: 'campaign_spring' }) @IsString() @Matches(/^[A-Za-z0-9_\-.:]{1,64}$/)
  scene: string;

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  permanent?: boolean;
}

const MESSAGE_STATUSES: readonly TemplateMessageStatus[] = ['pending', 'sent', 'failed', 'skipped'];

/** ?status=&kind=&memberId= of the delivery list; unknown values are a 400. */
function messageFilter(q: { status?: string; kind?: string; memberId?: string }): { status?: TemplateMessageStatus; kind?: string; memberId?: number } {
  const out: { status?: TemplateMessageStatus; kind?: string; memberId?: number } = {};
  if (q.status) {
    if (!(MESSAGE_STATUSES as readonly string[]).includes(q.status)) throw new BadInputError('status', `status is one of ${MESSAGE_STATUSES.join(', ')}`);
    out.status = q.status as TemplateMessageStatus;
  }
  if (q.kind) {
    if (!(TEMPLATE_KINDS as readonly string[]).includes(q.kind)) throw new BadInputError('kind', `kind is one of ${TEMPLATE_KINDS.join(', ')}`);
    out.kind = q.kind;
  }
  if (q.memberId) {
    const id = Number(q.memberId);
    if (!Number.isSafeInteger(id) || id <= 0) throw new BadInputError('memberId', 'memberId is a member id');
    out.memberId = id;
  }
  return out;
}

function checkContent(body: ContentInput): void {
  if (body.keywordReplies) {
    if (body.keywordReplies.length > 200) throw new BadInputError('keywordReplies', 'at most 200 keyword replies');
    body.keywordReplies.forEach((k, i) => {
      if (!k || typeof k !== 'object' || typeof k.keyword !== 'string' || !k.keyword.trim() || k.keyword.length > 60) throw new BadInputError(`keywordReplies[${i}].keyword`, 'keyword must be 1-60 characters');
      if (k.match !== 'exact' && k.match !== 'contains') throw new BadInputError(`keywordReplies[${i}].match`, 'match must be exact or contains');
      if (typeof k.reply !== 'string' || !k.reply.trim() || k.reply.length > 600) throw new BadInputError(`keywordReplies[${i}].reply`, 'reply must be 1-600 characters');
      body.keywordReplies![i] = { keyword: k.keyword.trim(), match: k.match, reply: k.reply };
    });
  }
  if (body.templates) {
    for (const [k, v] of Object.entries(body.templates)) {
      if (!(TEMPLATE_KINDS as readonly string[]).includes(k)) throw new BadInputError(`templates.${k}`, `template kinds are ${TEMPLATE_KINDS.join(', ')}`);
      if (typeof v !== 'string' || (v !== '' && !/^[A-Za-z0-9_-]{1,64}$/.test(v))) throw new BadInputError(`templates.${k}`, 'a template id is letters, digits, _ and -');
    }
  }
}

/** What the admin page and API show. */
@Injectable()
export class WechatAdminService {
  constructor(
    private readonly config: WechatConfigService,
    private readonly menus: WechatMenuService,
    private readonly bridge: DistributionBridge,
  ) {}

  /** Everything the page shows. Secrets are never sent back: only whether they are set ("已设置"). */
  async overview() {
    const { account, content, sources } = await this.config.view();
    return {
      serverUrl: this.config.serverUrl,
      publicUrl: this.config.publicUrl,
      configured: !!(account.appId && account.appSecret),
      account: { appId: account.appId, messageMode: account.messageMode, tokenApi: account.tokenApi, apiBase: account.apiBase },
      secrets: await this.config.secretStatus(),
      sources,
      envNames: { appId: this.config.envName('appId'), appSecret: this.config.envName('appSecret'), token: this.config.envName('token'), encodingAesKey: this.config.envName('encodingAesKey'), apiBase: this.config.envName('apiBase'), messageMode: this.config.envName('messageMode'), tokenApi: this.config.envName('tokenApi') },
      sessionSecretGenerated: this.config.appConfig.sessionSecretGenerated,
      content: { ...content, menu: await this.menus.current() },
      templateKinds: TEMPLATE_KINDS,
      distributionAvailable: this.bridge.available(),
    };
  }

}

/** 公众号 in the back office: binding, the server URL, checks, menu, replies and template messages. */
@ApiTags('wechat (admin)')
@Controller('api/v1/admin/wechat')
@AdminOnly()
export class WechatAdminApiController {
  constructor(
    private readonly config: WechatConfigService,
    private readonly tokens: WechatTokenManager,
    private readonly menus: WechatMenuService,
    private readonly messages: WechatTemplateMessages,
    private readonly qrcodes: WechatQrCodeService,
    private readonly admin: WechatAdminService,
  ) {}

  /** Everything the page shows. Secrets are never sent back: only whether they are set ("已设置"). */
  @Get()
  overview() {
    return this.admin.overview();
  }

  @Put('account')
  async saveAccount(@Body() body: AccountInput) {
    const { clear, ...patch } = body;
    await this.config.saveAccount(patch, clear ?? []);
    this.tokens.reset();
    return this.overview();
  }

  /** Fetches a token now; says in plain words what is wrong (secret, IP whitelist, unverified account). */
  @Post('check')
  @HttpCode(200)
  async check() {
    const account = await this.config.account();
    const problems: string[] = [];
    if (!account.appId || !account.appSecret) return { ok: false, message: '请先填写 AppID 和 AppSecret。Enter the AppID and AppSecret first.', problems };
    if (!account.token) problems.push('还没有设置 Token：微信无法推送消息。The Token is not set: WeChat cannot push messages.');
    if (account.messageMode !== 'plain' && !account.encodingAesKey) problems.push('安全/兼容模式需要 EncodingAESKey。Safe and compatible modes need the EncodingAESKey.');
    try {
      await this.tokens.verify();
      return { ok: true, message: '凭据正确：已成功获取 access_token。Credentials work: an access_token was fetched.', problems };
    } catch (err) {
      if (err instanceof WechatApiError) {
        const e = explainWechatError(err.errcode, err.errmsg);
        return { ok: false, errcode: err.errcode, message: `${e.zh} ${e.en}`, problems };
      }
      return { ok: false, message: `无法连接微信接口：${(err as Error).message}`, problems };
    }
  }

  /** Sends a signed handshake to our own public server URL, as the WeChat console will. */
  @Post('handshake')
  @HttpCode(200)
  async handshake() {
    const account = await this.config.account();
    if (!account.token) return { ok: false, message: '请先设置 Token。Set the Token first.' };
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = String(Math.floor(Math.random() * 1e9));
    const echostr = randomNonce(20);
    const url = `${this.config.serverUrl}?${new URLSearchParams({ signature: serverSignature(account.token, timestamp, nonce), timestamp, nonce, echostr })}`;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      const text = (await res.text()).trim();
      if (res.ok && text === echostr) return { ok: true, message: `服务器地址可用：${this.config.serverUrl} 正确回应了签名校验。The server URL answers the handshake.` };
      return { ok: false, message: `${this.config.serverUrl} 回应了 HTTP ${res.status}，不是预期的 echostr。Unexpected answer.` };
    } catch (err) {
      return { ok: false, message: `无法访问 ${this.config.serverUrl}：请确认 PUBLIC_URL 正确且可从公网访问（${(err as Error).message}）。Check PUBLIC_URL.` };
    }
  }

  @Put('content')
  async saveContent(@Body() body: ContentInput) {
    checkContent(body);
    await this.config.saveContent(body);
    return this.overview();
  }

  @Get('menu')
  async menu() {
    return { menu: await this.menus.current(), defaultMenu: this.menus.defaultMenu() };
  }

  @Put('menu')
  async saveMenu(@Body() body: MenuInput) {
    const problems = validateMenu(body.menu);
    if (problems.length) throw new BadInputError('menu', problems.join('; '), 'invalid_menu');
    return { menu: await this.menus.save(body.menu) };
  }

  @Post('menu/sync')
  @HttpCode(200)
  async syncMenu() {
    try {
      return { ok: true, menu: await this.menus.sync() };
    } catch (err) {
      if (err instanceof WechatApiError) {
        const e = explainWechatError(err.errcode, err.errmsg);
        return { ok: false, errcode: err.errcode, message: `${e.zh} ${e.en}` };
      }
      throw err;
    }
  }

  /** The last 100 template-message deliveries (pending / sent / failed / skipped, attempts, last error, time). */
  @Get('template-messages')
  @ApiQuery({ name: 'status', required: false, enum: ['pending', 'sent', 'failed', 'skipped'] })
  @ApiQuery({ name: 'kind', required: false, enum: [...TEMPLATE_KINDS] })
  @ApiQuery({ name: 'memberId', required: false, type: Number })
  async templateMessages(@Query() query: { status?: string; kind?: string; memberId?: string }) {
    return { items: await this.messages.recent(100, messageFilter(query)) };
  }

  /** A campaign QR code for any scene (distributors get theirs from /api/v1/me/wechat/qrcode). */
  @Post('qrcodes')
  @HttpCode(200)
  qrcode(@Body() body: QrInput) {
    return this.qrcodes.forScene(body.scene, { permanent: body.permanent });
  }
}

@Controller('admin/wechat')
@AdminOnly()
export class WechatAdminPagesController {
  constructor(private readonly admin: WechatAdminService, private readonly messages: WechatTemplateMessages, private readonly pages: PluginAdminPages) {}

  @Get()
  async page(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() query: { status?: string; kind?: string; memberId?: string }) {
    const data = await this.admin.overview();
    const filter = messageFilter(query);
    const messages = await this.messages.recent(100, filter);
    await this.pages.render(req, reply, 'wechat', 'admin-wechat', {
      title: '公众号 WeChat', ...data, messages, messageFilter: filter,
      messageStatuses: MESSAGE_STATUSES.map((s) => ({ value: s, selected: filter.status === s })),
      messageKinds: TEMPLATE_KINDS.map((k) => ({ value: k, selected: filter.kind === k })),
      menuJson: JSON.stringify(data.content.menu, null, 2),
      keywordsJson: JSON.stringify(data.content.keywordReplies, null, 2),
      envAppId: data.sources.appId === 'env', envSecret: data.sources.appSecret === 'env', envToken: data.sources.token === 'env', envAes: data.sources.encodingAesKey === 'env', envBase: data.sources.apiBase === 'env',
    });
  }
}
