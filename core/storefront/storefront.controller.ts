import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MemberSession } from '../auth/member-session.js';
import { DomainError } from '../common/errors.js';
import { CatalogService } from '../catalog/catalog.service.js';
import { ProductSearchQuery } from '../catalog/dto/product.dto.js';
import { CartService } from '../cart/cart.service.js';
import { MemberService } from '../customer/member.service.js';
import { OrderListQuery } from '../order/dto/order.dto.js';
import { OrderService } from '../order/order.service.js';
import { ThemeService } from '../theme/theme.service.js';

/**
 * Server-rendered storefront pages. Each page hands the theme a documented data shape
 * (docs/themes.md); the page scripts call /api/v1 for everything that changes state.
 */
@ApiExcludeController()
@Controller()
export class StorefrontController {
  constructor(
    private readonly theme: ThemeService,
    private readonly catalog: CatalogService,
    private readonly cart: CartService,
    private readonly orders: OrderService,
    private readonly members: MemberService,
    private readonly session: MemberSession,
  ) {}

  @Get()
  async home(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const [categories, featured, latest] = await Promise.all([this.catalog.categoryTree(), this.catalog.featured(8), this.catalog.search({ pageSize: 10, sort: 'sales' })]);
    await this.theme.renderPage(req, reply, ['home'], { categories, featured, latest: latest.items });
  }

  @Get('categories')
  async categories(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.theme.renderPage(req, reply, ['categories'], { categories: await this.catalog.categoryTree() });
  }

  @Get('category/:slug')
  async category(@Param('slug') slug: string, @Query() q: ProductSearchQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const category = await this.catalog.findCategory(slug);
    const result = await this.catalog.search({ ...q, categoryId: category.id });
    const categories = await this.catalog.categoryTree();
    await this.theme.renderPage(req, reply, [`category-${category.slug}`, 'category'], { category, categories, result, sort: q.sort ?? 'default', baseUrl: `/category/${category.slug}${q.sort ? `?sort=${q.sort}` : ''}` });
  }

  @Get('search')
  async search(@Query() q: ProductSearchQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const result = await this.catalog.search(q);
    const params = new URLSearchParams();
    if (q.q) params.set('q', q.q);
    if (q.sort) params.set('sort', q.sort);
    await this.theme.renderPage(req, reply, ['search'], { q: q.q ?? '', result, sort: q.sort ?? 'default', baseUrl: `/search?${params.toString()}` });
  }

  @Get('products/:slug')
  async product(@Param('slug') slug: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const product = await this.catalog.detail(slug);
    const templates = [`product-${product.slug}`, ...(product.category ? [`product-${product.category.slug}`] : []), 'product'];
    await this.theme.renderPage(req, reply, templates, { product });
  }

  @Get('cart')
  async cartPage(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const member = await this.session.current(req);
    if (!member) return this.toSignIn(req, reply);
    await this.theme.renderPage(req, reply, ['cart'], { cart: await this.cart.view(member.id) });
  }

  @Get('checkout')
  async checkout(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query('variantId') variantId?: string, @Query('quantity') quantity?: string) {
    const member = await this.session.current(req);
    if (!member) return this.toSignIn(req, reply);
    const items = variantId && /^\d+$/.test(variantId) ? [{ variantId: Number(variantId), quantity: Math.min(99, Math.max(1, Number(quantity) || 1)) }] : undefined;
    const addresses = await this.members.addresses(member.id);
    let preview = null;
    let problem: string | null = null;
    let problemCode: string | null = null;
    try {
      preview = await this.orders.preview(member.id, { items });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      problem = err.message;
      problemCode = err.code;
    }
    await this.theme.renderPage(req, reply, ['checkout'], { preview, problem, problemCode, addresses, items: items ?? null, defaultAddress: addresses.find((a) => a.isDefault) ?? addresses[0] ?? null });
  }

  @Get('orders')
  async orderList(@Query() q: OrderListQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const member = await this.session.current(req);
    if (!member) return this.toSignIn(req, reply);
    const result = await this.orders.listForMember(member.id, q.status, q.page ?? 1, 10);
    await this.theme.renderPage(req, reply, ['orders'], { result, status: q.status ?? '', pageCount: Math.max(1, Math.ceil(result.total / 10)), baseUrl: `/orders${q.status ? `?status=${q.status}` : ''}` });
  }

  @Get('orders/:orderNo')
  async orderDetail(@Param('orderNo') orderNo: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const member = await this.session.current(req);
    if (!member) return this.toSignIn(req, reply);
    const order = await this.orders.view(await this.orders.forMember(member.id, orderNo), true);
    await this.theme.renderPage(req, reply, ['order'], { order, actions: this.orders.buyerActions(order.status) });
  }

  @Get('member')
  async memberCentre(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const member = await this.session.current(req);
    if (!member) return this.toSignIn(req, reply);
    const counts: Record<string, number> = {};
    for (const status of ['pending_payment', 'paid', 'shipped'] as const) counts[status] = (await this.orders.listForMember(member.id, status, 1, 1)).total;
    await this.theme.renderPage(req, reply, ['member'], { counts, addresses: await this.members.addresses(member.id) });
  }

  @Get('member/addresses')
  async addresses(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const member = await this.session.current(req);
    if (!member) return this.toSignIn(req, reply);
    await this.theme.renderPage(req, reply, ['addresses'], { addresses: await this.members.addresses(member.id) });
  }

  @Get('sign-in')
  async signIn(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query('next') next?: string) {
    await this.theme.renderPage(req, reply, ['sign-in'], { next: safeNext(next) });
  }

  private async toSignIn(req: FastifyRequest, reply: FastifyReply) {
    void reply.redirect(`/sign-in?next=${encodeURIComponent(req.url)}`, 302);
  }
}

/** Only same-site paths, so the sign-in page cannot be used as an open redirect. */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?!\/)[^\s\\]*$/.test(next) ? next : '/';
}
