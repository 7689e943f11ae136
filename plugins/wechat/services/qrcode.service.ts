import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BadInputError } from '../../../core/plugin/index.js';
import { WechatQrCode } from '../entities/qrcode.entity.js';
import { WechatApiClient } from './wechat-api.client.js';
import { WechatConfigService } from './wechat-config.service.js';
import { WechatApiError } from './wechat-errors.js';

export interface QrCodeView {
  scene: string;
  permanent: boolean;
  ticket: string;
  /** What the code encodes (weixin.qq.com/q/…). */
  url: string;
  /** The image (showqrcode). */
  imageUrl: string;
  expiresAt: Date | null;
}

const TEMP_SECONDS = 30 * 86_400; // the longest WeChat allows
const RENEW_BEFORE_MS = 86_400_000;
/** Permanent codes are limited to 100 000 per account: beyond that, fall back to temporary ones. */
const QUOTA_ERRORS = new Set([45029, 45030, 45157]);

/**
 * Parametric QR codes (带参二维码) for distributors and campaigns: permanent string scenes
 * (QR_LIMIT_STR_SCENE) where the merchant allows them, 30-day temporary ones (QR_STR_SCENE)
 * otherwise or once the permanent quota runs out. Cached per scene; a temporary code is renewed a
 * day before it expires.
 */
@Injectable()
export class WechatQrCodeService {
  private readonly logger = new Logger('WeChat');

  constructor(@InjectDataSource() private readonly ds: DataSource, private readonly api: WechatApiClient, private readonly config: WechatConfigService) {}

  /** The distributor's code: scene "ref_<referral code>". */
  forReferral(referralCode: string): Promise<QrCodeView> {
    return this.forScene(`ref_${referralCode.toUpperCase()}`);
  }

  async forScene(scene: string, opts: { permanent?: boolean } = {}): Promise<QrCodeView> {
    if (!/^[A-Za-z0-9_\-.:]{1,64}$/.test(scene)) throw new BadInputError('scene', 'scene must be 1-64 letters, digits or _-.:');
    const { appId } = await this.config.account();
    const wantPermanent = opts.permanent ?? (await this.config.content()).qrPermanent;
    const repo = this.ds.getRepository(WechatQrCode);
    const cached = await repo.find({ where: { appId, scene }, order: { permanent: 'DESC' } });
    const live = cached.find((c) => c.permanent || (c.expiresAt && c.expiresAt.getTime() - Date.now() > RENEW_BEFORE_MS));
    if (live && (live.permanent || !wantPermanent)) return this.view(live);
    let permanent = wantPermanent;
    let created;
    try {
      created = await this.api.createQrCode(scene, permanent, TEMP_SECONDS);
    } catch (err) {
      if (!(permanent && err instanceof WechatApiError && QUOTA_ERRORS.has(err.errcode))) throw err;
      this.logger.warn(`Permanent QR codes are used up (${err.errcode}); scene ${scene} gets a temporary code`);
      permanent = false;
      created = await this.api.createQrCode(scene, false, TEMP_SECONDS);
    }
    const expiresAt = permanent ? null : new Date(Date.now() + (created.expireSeconds ?? TEMP_SECONDS) * 1000);
    const existing = await repo.findOneBy({ appId, scene, permanent });
    if (existing) await repo.update({ id: existing.id }, { ticket: created.ticket, url: created.url, expiresAt });
    else await repo.insert({ appId, scene, permanent, ticket: created.ticket, url: created.url, expiresAt }).catch(() => repo.update({ appId, scene, permanent }, { ticket: created.ticket, url: created.url, expiresAt }));
    return this.view((await repo.findOneByOrFail({ appId, scene, permanent })));
  }

  private async view(row: WechatQrCode): Promise<QrCodeView> {
    return { scene: row.scene, permanent: row.permanent, ticket: row.ticket, url: row.url, imageUrl: await this.api.qrImageUrl(row.ticket), expiresAt: row.expiresAt };
  }
}
