import { Controller, Get, Injectable, Query, UseGuards } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import type { Member } from '../../../core/customer/entities/member.entity.js';
import type { ProductDetail } from '../../../core/catalog/catalog.service.js';
import { ConflictError, CurrentMember, MemberGuard, type SlotContext, type SlotDataLoader } from '../../../core/plugin/index.js';
import { DistributionBridge } from '../services/distribution-bridge.js';
import { WechatJsSdkService } from '../services/jssdk.service.js';
import { WechatQrCodeService } from '../services/qrcode.service.js';
import { WechatConfigService } from '../services/wechat-config.service.js';

export class JsConfigQuery {
  @ApiPropertyOptional({ description: 'The page URL (location.href without #…)', example: 'https://shop.example.com/products/tea' })
  @IsString() @MaxLength(2000)
  url: string;
}

@ApiTags('wechat')
@Controller('api/v1')
export class WechatStorefrontController {
  constructor(private readonly jssdk: WechatJsSdkService, private readonly qrcodes: WechatQrCodeService, private readonly bridge: DistributionBridge) {}

  /** wx.config for the page: appId, timestamp, nonceStr, signature, jsApiList (the share APIs). */
  @Get('wechat/js-config')
  jsConfig(@Query() q: JsConfigQuery) {
    return this.jssdk.configFor(q.url);
  }

  /** The signed-in distributor's parametric QR code (scene ref_<referral code>), for share posters. */
  @Get('me/wechat/qrcode')
  @UseGuards(MemberGuard)
  async myQrCode(@CurrentMember() m: Member) {
    const code = await this.bridge.referralCodeOf(m.id);
    if (!code) throw new ConflictError('not_distributor', 'only active distributors have a referral QR code');
    return this.qrcodes.forReferral(code);
  }
}

export interface ShareCard {
  title: string;
  desc: string;
  imgUrl: string | null;
  /** The sharer's referral code, added to the link as ?ref=… (null when not a distributor). */
  ref: string | null;
  /** Absolute link of product pages; other pages share their own URL. */
  link: string | null;
}

/**
 * head (every page) and product.actions (sandbox preview): the share card. Inside WeChat the head
 * script configures the JS-SDK with /api/v1/wechat/js-config and sets the share title, description,
 * image and link; every link carries the sharer's referral code when they are a distributor.
 */
@Injectable()
export class ShareCardLoader implements SlotDataLoader {
  constructor(private readonly config: WechatConfigService, private readonly bridge: DistributionBridge) {}

  async load(ctx: SlotContext) {
    if (!(await this.config.isConfigured())) return null;
    const base = this.config.publicUrl;
    const abs = (u: string | null | undefined) => (!u ? null : /^https?:\/\//.test(u) ? u : `${base}${u.startsWith('/') ? '' : '/'}${u}`);
    const ref = ctx.memberId ? await this.bridge.referralCodeOf(ctx.memberId).catch(() => null) : null;
    const product = ctx.page === 'product' ? (ctx.data.product as ProductDetail | undefined) : undefined;
    let share: ShareCard;
    if (product && typeof product.slug === 'string') {
      const link = new URL(`${base}/products/${encodeURIComponent(product.slug)}`);
      if (ref) link.searchParams.set('ref', ref);
      share = { title: product.title, desc: product.subtitle || '好物推荐，点击查看', imgUrl: abs(product.images?.[0] ?? product.image), ref, link: link.toString() };
    } else {
      share = { title: '', desc: '好物推荐，点击查看', imgUrl: null, ref, link: null };
    }
    return { share };
  }
}
