import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../../../core/config/app-config.js';
import { MemberSession } from '../../../core/auth/member-session.js';
import { NotFoundError, UnauthorizedError } from '../../../core/common/errors.js';
import type { ProductDetail } from '../../../core/catalog/catalog.service.js';
import type { Member } from '../../../core/customer/entities/member.entity.js';
import { PluginPages } from '../../../core/plugin/plugin-host.service.js';
import type { Distributor } from '../entities/distributor.entity.js';
import { CommissionService } from '../services/commission.service.js';
import { DistributorService } from '../services/distributor.service.js';
import { LedgerService } from '../services/ledger.service.js';
import { PosterService } from '../services/poster.service.js';
import { ReferralBindingService } from '../services/referral-binding.service.js';
import { DistributionSettingsSource } from '../services/settings.provider.js';
import { ShopViewService } from '../services/shop-view.service.js';
import { WithdrawalService } from '../services/withdrawal.service.js';
import { ASSET_TYPES, assetHash, assetsDir, formatRate, translate } from './page-helpers.js';
import { formatFen } from '../../../core/common/money.js';

const PLUGIN = 'distribution';
const REF_COOKIE = 'mall_ref';
const CODE = /^[A-Za-z0-9]{4,16}$/;
const PAGE_SIZE = 20;

/** ?page=N as a page number (1 when missing or not a number). */
function pageOf(raw: unknown): number {
  const n = typeof raw === 'string' && /^\d{1,5}$/.test(raw) ? Number(raw) : 1;
  return Math.min(10_000, Math.max(1, n));
}

function idOf(raw: unknown): number | null {
  return typeof raw === 'string' && /^\d{1,10}$/.test(raw) && Number(raw) > 0 ? Number(raw) : null;
}

/**
 * The distribution storefront, rendered through the active theme (a theme may restyle any page at
 * templates/plugins/distribution/<name>.hbs): the distributor centre and its sub-pages, the public
 * sub-shop (/shop/:code) and the share poster. Pages read; every change goes through
 * /api/v1/distribution/* from the page script (assets/distribution.js).
 */
@ApiExcludeController()
@Controller()
export class DistributionPagesController {
  constructor(
    private readonly pages: PluginPages,
    private readonly session: MemberSession,
    private readonly distributors: DistributorService,
    private readonly bindings: ReferralBindingService,
    private readonly commissions: CommissionService,
    private readonly ledger: LedgerService,
    private readonly withdrawals: WithdrawalService,
    private readonly settings: DistributionSettingsSource,
    private readonly view: ShopViewService,
    private readonly posters: PosterService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // ---- distributor centre (推广中心) ----

  @Get('distribution')
  async centre(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const member = await this.session.current(req);
    if (!member) return this.toSignIn(req, reply);
    const s = this.settings.current();
    const d = await this.distributors.byMember(member.id);
    const base = { title: this.t(req, 'title.centre'), distAssets: true, distI18n: this.scriptTexts(req) };
    if (d?.status === 'active') {
      const [balances, team, levelName] = await Promise.all([this.ledger.balances(member.id), this.distributors.team(member.id, 1, 1, 1), this.view.levelName(d)]);
      const depth = this.view.depth();
      const teamSize = [1, 2, 3].slice(0, depth).reduce((sum, l) => sum + team.counts[String(l) as '1' | '2' | '3'], 0);
      const totalEarned = balances.frozen + balances.available + balances.withdrawing + balances.withdrawn;
      return this.render(req, reply, 'centre', {
        ...base, distributor: this.publicDistributor(d), levelName, balances, totalEarned, teamSize, depth, multi: depth > 1,
        shareLink: this.view.shopUrl(d.referralCode),
      });
    }
    const spent = s.enrolment === 'spend_threshold' ? await this.view.completedSpend(member.id) : 0;
    return this.render(req, reply, 'centre', {
      ...base, distributor: d ? this.publicDistributor(d) : null, enrolment: s.enrolment,
      threshold: { amount: s.spendThreshold, spent, remaining: Math.max(0, s.spendThreshold - spent), reached: spent >= s.spendThreshold },
    });
  }

  @Get('distribution/orders')
  async orders(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query('page') pageRaw?: string) {
    const ctx = await this.activeDistributor(req, reply);
    if (!ctx) return;
    const page = pageOf(pageRaw);
    const [result, balances] = await Promise.all([this.commissions.forDistributor(ctx.member.id, page, PAGE_SIZE), this.ledger.balances(ctx.member.id)]);
    await this.render(req, reply, 'orders', {
      title: this.t(req, 'title.orders'), distAssets: true, result, balances, page,
      pageCount: Math.max(1, Math.ceil(result.total / PAGE_SIZE)), baseUrl: '/distribution/orders',
    });
  }

  @Get('distribution/team')
  async team(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query('level') levelRaw?: string, @Query('page') pageRaw?: string) {
    const ctx = await this.activeDistributor(req, reply);
    if (!ctx) return;
    const depth = this.view.depth();
    const requested = Number(levelRaw);
    const level = (Number.isInteger(requested) && requested >= 1 && requested <= depth ? requested : 1) as 1 | 2 | 3;
    const page = pageOf(pageRaw);
    const result = await this.distributors.team(ctx.member.id, level, page, PAGE_SIZE);
    const levels = [1, 2, 3].slice(0, depth).map((l) => ({ level: l, count: result.counts[String(l) as '1' | '2' | '3'], active: l === level }));
    await this.render(req, reply, 'team', {
      title: this.t(req, 'title.team'), distAssets: true, level, levels, tabs: depth > 1, result, page,
      total: levels.reduce((sum, l) => sum + l.count, 0),
      pageCount: Math.max(1, Math.ceil(result.total / PAGE_SIZE)), baseUrl: `/distribution/team?level=${level}`,
    });
  }

  @Get('distribution/withdraw')
  async withdraw(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query('page') pageRaw?: string) {
    const ctx = await this.activeDistributor(req, reply);
    if (!ctx) return;
    const s = this.settings.current();
    const page = pageOf(pageRaw);
    const [balances, history] = await Promise.all([this.ledger.balances(ctx.member.id), this.withdrawals.list({ memberId: ctx.member.id }, page, PAGE_SIZE)]);
    const rules = { min: s.withdrawMin, feeBp: s.withdrawFeeBp, feeFixed: s.withdrawFeeFixed, dailyLimit: s.withdrawDailyLimit, available: Math.max(0, balances.available) };
    await this.render(req, reply, 'withdraw', {
      title: this.t(req, 'title.withdraw'), distAssets: true, distI18n: this.scriptTexts(req), balances, rules, history, page,
      feeText: [s.withdrawFeeBp > 0 ? formatRate({ type: 'percent', value: s.withdrawFeeBp }) : '', s.withdrawFeeFixed > 0 ? formatFen(s.withdrawFeeFixed) : ''].filter(Boolean).join(' + '),
      pageCount: Math.max(1, Math.ceil(history.total / PAGE_SIZE)), baseUrl: '/distribution/withdraw',
    });
  }

  /** Edit my sub-shop: name, avatar, banner, and product picks (the catalog, searchable; required products locked). */
  @Get('distribution/shop')
  async shopEdit(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query('q') qRaw?: string) {
    const ctx = await this.activeDistributor(req, reply);
    if (!ctx) return;
    const q = typeof qRaw === 'string' ? qRaw.trim().slice(0, 40) : '';
    const [shopProducts, picked, catalog] = await Promise.all([
      this.view.shopProducts(ctx.member.id),
      this.view.pickedIds(ctx.member.id),
      this.view.catalog.search({ q: q || undefined, page: 1, pageSize: 40 }),
    ]);
    const required = new Set(this.view.requiredIds());
    const pickedSet = new Set(picked);
    await this.render(req, reply, 'shop-edit', {
      title: this.t(req, 'title.shopEdit'), distAssets: true, distI18n: this.scriptTexts(req), q,
      distributor: this.publicDistributor(ctx.distributor), shopProducts,
      catalog: catalog.items.map((p) => ({ ...p, required: required.has(p.id), picked: pickedSet.has(p.id) || required.has(p.id) })),
      shopState: { picked, required: [...required] },
    });
  }

  // ---- share poster (推广海报) ----

  @Get('distribution/poster')
  async poster(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query('productId') productRaw?: string) {
    const ctx = await this.activeDistributor(req, reply);
    if (!ctx) return;
    const productId = idOf(productRaw);
    const product = productId ? await this.view.catalog.detail(productId) : null;
    const shopProducts = await this.view.shopProducts(ctx.member.id);
    const spec = await this.posters.spec(ctx.distributor, ctx.member, product, this.locale(req));
    const key = this.posters.key(spec);
    const choices = product && !shopProducts.some((p) => p.id === product.id) ? [{ id: product.id, title: product.title, image: product.image, minPrice: product.minPrice }, ...shopProducts] : shopProducts;
    await this.render(req, reply, 'poster', {
      title: this.t(req, 'title.poster'), distAssets: true, distributor: this.publicDistributor(ctx.distributor),
      product, choices, shareLink: spec.url,
      posterUrl: `/distribution/poster.png?${product ? `productId=${product.id}&` : ''}v=${key}`,
    });
  }

  /** The poster PNG: cached on disk by a hash of what it shows; `v` (that hash) makes the URL immutable. */
  @Get('distribution/poster.png')
  async posterPng(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query('productId') productRaw?: string, @Query('v') v?: string) {
    const member = await this.session.current(req);
    if (!member) throw new UnauthorizedError('Sign in first', 'sign_in_required');
    const d = await this.distributors.byMember(member.id);
    if (d?.status !== 'active') throw new NotFoundError('distributor', member.id);
    const productId = idOf(productRaw);
    if (productRaw !== undefined && productId === null) throw new NotFoundError('product', String(productRaw));
    const product: ProductDetail | null = productId ? await this.view.catalog.detail(productId) : null;
    const spec = await this.posters.spec(d, member, product, this.locale(req));
    const key = this.posters.key(spec);
    const etag = `"${key}"`;
    void reply
      .header('content-type', 'image/png')
      .header('etag', etag)
      .header('cache-control', v === key ? 'private, max-age=31536000, immutable' : 'private, no-cache')
      .header('content-disposition', `inline; filename="poster-${product ? product.id : 'shop'}.png"`);
    const inm = req.headers['if-none-match'];
    if (inm && inm.split(',').some((t) => t.trim() === etag)) {
      void reply.status(304).send();
      return;
    }
    const file = await this.posters.file(spec);
    void reply.send(await readFile(file.file));
  }

  // ---- the public sub-shop ----

  @Get('shop/:code')
  async shop(@Param('code') code: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const d = CODE.test(code) ? await this.distributors.byCode(code).catch(() => null) : null;
    if (!d) {
      return this.render(req, reply, 'shop-not-found', { title: this.t(req, 'title.shopNotFound'), distAssets: true }, 404);
    }
    await this.recordVisit(req, reply, d);
    const [owner, products] = await Promise.all([this.view.member(d.memberId), this.view.shopProducts(d.memberId)]);
    const viewerId = this.session.memberIdFrom(req);
    await this.render(req, reply, 'shop', {
      title: d.shopName, distAssets: true, code: d.referralCode,
      shop: { name: d.shopName, avatarUrl: d.shopAvatarUrl || owner?.avatarUrl || null, bannerUrl: d.shopBannerUrl, ownerName: owner?.nickname ?? '' },
      products, isOwner: viewerId === d.memberId,
    });
  }

  // ---- static files of the pages ----

  @Get('distribution/assets/:file')
  async asset(@Param('file') name: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const type = ASSET_TYPES[name];
    if (!type) throw new NotFoundError('asset', name);
    const hash = assetHash(name);
    const v = (req.query as Record<string, unknown> | undefined)?.v;
    void reply.header('content-type', type).header('etag', `"${hash}"`).header('cache-control', v === hash ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
    if (req.headers['if-none-match'] === `"${hash}"`) {
      void reply.status(304).send();
      return;
    }
    void reply.send(createReadStream(join(assetsDir(), name)));
  }

  // ---- helpers ----

  private async render(req: FastifyRequest, reply: FastifyReply, name: string, data: Record<string, unknown>, status = 200): Promise<void> {
    void reply.header('cache-control', 'no-store');
    await this.pages.render(req, reply, PLUGIN, name, data, status);
  }

  /** The signed-in active distributor, or a redirect (sign in / the centre's apply card) and null. */
  private async activeDistributor(req: FastifyRequest, reply: FastifyReply): Promise<{ member: Member; distributor: Distributor } | null> {
    const member = await this.session.current(req);
    if (!member) {
      await this.toSignIn(req, reply);
      return null;
    }
    const distributor = await this.distributors.byMember(member.id);
    if (distributor?.status !== 'active') {
      void reply.redirect('/distribution', 302);
      return null;
    }
    return { member, distributor };
  }

  /**
   * Opening a sub-shop is a referral like ?ref=CODE (the share link is /shop/CODE): a signed-in
   * visitor is bound by the merchant's rule, a visitor keeps the code until they sign in.
   */
  private async recordVisit(req: FastifyRequest, reply: FastifyReply, d: Distributor): Promise<void> {
    const memberId = this.session.memberIdFrom(req);
    if (memberId) {
      if (memberId !== d.memberId) await this.bindings.recordReferral(memberId, d.referralCode, 'shop').catch(() => undefined);
    } else {
      void reply.setCookie(REF_COOKIE, d.referralCode, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 30 * 86400 });
    }
  }

  private publicDistributor(d: Distributor) {
    return { status: d.status, referralCode: d.referralCode, shopName: d.shopName, shopAvatarUrl: d.shopAvatarUrl, shopBannerUrl: d.shopBannerUrl, rejectReason: d.rejectReason, createdAt: d.createdAt, approvedAt: d.approvedAt };
  }

  /** The page language, decided as the theme decides it: ?lang=, the mall_lang cookie, then the default. */
  private locale(req: FastifyRequest): 'zh-CN' | 'en' {
    const q = (req.query as Record<string, unknown> | undefined)?.lang;
    const cookie = (req as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies?.mall_lang;
    for (const candidate of [q, cookie]) if (candidate === 'zh-CN' || candidate === 'en') return candidate;
    return this.config.defaultLocale;
  }

  private t(req: FastifyRequest, key: string, vars: Record<string, unknown> = {}): string {
    return translate(this.locale(req), key, vars);
  }

  /** Strings the page script shows (toasts, validation), in the page's language. */
  private scriptTexts(req: FastifyRequest): Record<string, string> {
    const keys = [
      'apply.success', 'apply.submitted', 'shopEdit.saved', 'shopEdit.pick', 'shopEdit.unpick', 'shopEdit.inShop', 'shopEdit.required', 'shopEdit.picked_toast', 'shopEdit.unpicked_toast',
      'shopEdit.noResults', 'withdraw.submitted', 'withdraw.invalid', 'withdraw.tooSmall', 'withdraw.tooMuch',
    ];
    const errors = ['application_pending', 'distributor_disabled', 'spend_threshold_not_met', 'below_minimum', 'below_fee', 'daily_limit', 'insufficient_balance', 'required_product', 'too_many_picks', 'product_not_found', 'distributor_not_found', 'validation_failed', 'invalid_input', 'generic'];
    const out: Record<string, string> = {};
    for (const k of keys) out[k] = this.t(req, k);
    for (const e of errors) out[`errors.${e}`] = this.t(req, `errors.${e}`);
    return out;
  }

  private async toSignIn(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    void reply.redirect(`/sign-in?next=${encodeURIComponent(req.url)}`, 302);
  }
}
