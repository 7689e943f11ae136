import { randomBytes } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Post, Put, Req, Res } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminOnly, BadInputError, PluginAdminPages } from '../../../core/plugin/index.js';
import { WechatpayApiError } from '../services/api.js';
import { SECRET_NAMES, type SecretName } from '../services/config.service.js';
import { explainError, WechatpayGateway } from '../services/gateway.service.js';
import { chinaDate, WechatpayReconciliation } from '../services/reconcile.service.js';

export class SecretsInput {
  @ApiPropertyOptional({ description: 'Write-only: 32 characters; "" keeps the saved value' }) @IsOptional() @IsString() @MaxLength(64)
  apiV3Key?: string;

  @ApiPropertyOptional({ description: 'Write-only: apiclient_key.pem; "" keeps the saved value' }) @IsOptional() @IsString() @MaxLength(8000)
  privateKey?: string;

  @ApiPropertyOptional({ description: 'Write-only: the WeChat Pay public key (pub_key.pem) or platform certificate; "" keeps the saved value' }) @IsOptional() @IsString() @MaxLength(8000)
  platformKey?: string;

  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @IsIn([...SECRET_NAMES], { each: true })
  clear?: SecretName[];
}

export class ReconcileInput {
  @ApiPropertyOptional({ example: '2026-01-31' }) @IsOptional() @IsString() @Matches(/^\d{4}-\d\d-\d\d$/)
  date?: string;
}

export interface CheckResult {
  ok: boolean;
  message: string;
  problems: string[];
}

@ApiTags('admin: wechatpay')
@Controller('api/v1/admin/wechatpay')
@AdminOnly()
export class WechatpayAdminApiController {
  constructor(private readonly gw: WechatpayGateway, private readonly rec: WechatpayReconciliation) {}

  /** Non-secret configuration and which secrets are set (never their values). */
  @Get()
  async overview() {
    const s = await this.gw.config.status();
    return { configured: !!s.config, problems: s.problems, sources: s.sources, ...s.display };
  }

  @Put('secrets')
  async saveSecrets(@Body() body: SecretsInput) {
    if (body.apiV3Key && Buffer.byteLength(body.apiV3Key.trim()) !== 32) throw new BadInputError('apiV3Key', 'APIv3 密钥应为 32 个字符 (the APIv3 key has 32 characters)');
    if (body.privateKey && !/-----BEGIN (RSA )?PRIVATE KEY-----/.test(body.privateKey)) throw new BadInputError('privateKey', '请粘贴 apiclient_key.pem 的完整内容 (paste the whole PEM private key)');
    if (body.platformKey && !/-----BEGIN (PUBLIC KEY|CERTIFICATE)-----/.test(body.platformKey)) throw new BadInputError('platformKey', '请粘贴微信支付公钥或平台证书的 PEM 内容 (paste the PEM public key or certificate)');
    await this.gw.config.saveSecrets({ apiV3Key: body.apiV3Key, privateKey: body.privateKey, platformKey: body.platformKey }, body.clear ?? []);
    return this.overview();
  }

  /** A signed call that must come back ORDER_NOT_EXIST: proves mchid, serial, private key and the verifying key. */
  @Post('check')
  @HttpCode(200)
  async check(): Promise<CheckResult> {
    const s = await this.gw.config.status();
    if (!s.config) return { ok: false, message: '配置不完整', problems: s.problems };
    const api = this.gw.apiFor(s.config);
    const probe = `CHECK${Date.now()}${randomBytes(4).toString('hex')}`;
    try {
      await api.call('GET', `/v3/pay/transactions/out-trade-no/${probe}?mchid=${encodeURIComponent(s.config.mchid)}`);
      return { ok: true, message: '签名调用成功', problems: [] };
    } catch (err) {
      if (err instanceof WechatpayApiError && err.code === 'ORDER_NOT_EXIST') return { ok: true, message: '配置正确：签名被微信支付接受（查询一个不存在的订单得到 ORDER_NOT_EXIST）', problems: [] };
      const e = err instanceof WechatpayApiError ? err : new WechatpayApiError(0, 'UNKNOWN', String(err));
      return { ok: false, message: explainError(e.code, e.message), problems: [] };
    }
  }

  @Post('reconcile')
  @HttpCode(200)
  async reconcile(@Body() body: ReconcileInput) {
    const date = body.date ?? chinaDate(new Date(Date.now() - 86_400_000));
    return this.rec.run(date);
  }

  @Get('events')
  async events() {
    return this.gw.recent(100);
  }
}

@Controller('admin/wechatpay')
@AdminOnly()
export class WechatpayAdminPagesController {
  constructor(private readonly gw: WechatpayGateway, private readonly rec: WechatpayReconciliation, private readonly pages: PluginAdminPages) {}

  @Get()
  async page(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const s = await this.gw.config.status();
    const { runs, mismatches } = await this.rec.list();
    await this.pages.render(req, reply, 'wechatpay', 'admin-wechatpay', {
      title: '微信支付 WeChat Pay',
      configured: !!s.config, problems: s.problems, d: s.display, sources: s.sources,
      notifyUrl: `${this.gw.config.publicUrl}/payments/wechat/notify`,
      refundNotifyUrl: `${this.gw.config.publicUrl}/payments/wechat/refund-notify`,
      transferNotifyUrl: `${this.gw.config.publicUrl}/payments/wechat/transfer-notify`,
      runs, mismatches, events: await this.gw.recent(30),
    });
  }
}
