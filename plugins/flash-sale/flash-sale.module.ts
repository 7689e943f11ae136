import { Body, Controller, Delete, Get, HttpCode, Injectable, Module, Param, ParseIntPipe, Patch, Post, Query, Req, Res, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsDateString, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminOnly, ConflictError, DomainError, MemberSession, NotFoundError, PluginAdminPages, UnauthorizedError } from '../../core/plugin/index.js';
import { OrderModule } from '../../core/order/order.module.js';
import { OrderService } from '../../core/order/order.service.js';
import { ThemeModule } from '../../core/theme/theme.module.js';
import { Product } from '../../core/catalog/entities/product.entity.js';
import { ProductVariant } from '../../core/catalog/entities/product-variant.entity.js';
import { specText } from '../../core/catalog/catalog.service.js';
import { FlashSaleService, MemberPurchaseRaceError, PLACED } from './flash-sale.service.js';
import { FlashState } from './flash-state.js';
import { FlashPageCache } from './flash-page.cache.js';
import { FlashPriceAdjuster, ProductOfferLoader, ReserveOnPlacedHook, ReturnOnClosedHook, SettleEndedJob } from './flash-sale.pricing.js';
import { HHMM, YMD } from './flash-rules.js';

// ------------------------------------------------------------------ inputs

export class BuyInput {
  @ApiProperty({ description: 'One of the member\'s addresses' }) @IsInt() @Min(1)
  addressId: number;

  @ApiPropertyOptional({ default: 1 }) @IsOptional() @IsInt() @Min(1) @Max(99)
  quantity?: number;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200)
  note?: string;

  @ApiPropertyOptional({ description: 'Other checkout options, e.g. { "couponCode": "NEW10" } (applied only when the session allows order discounts)' })
  @IsOptional() @IsObject()
  options?: Record<string, string | number | boolean>;
}

export class SessionFields {
  @ApiPropertyOptional({ example: '10点场' }) @IsOptional() @IsString() @Length(1, 64)
  title?: string;

  @ApiPropertyOptional({ enum: ['daily', 'once'] }) @IsOptional() @IsIn(['daily', 'once'], { message: 'kind must be "daily" or "once"' })
  kind?: 'daily' | 'once';

  @ApiPropertyOptional({ description: 'once: window start', example: '2026-11-11T10:00:00+08:00' }) @IsOptional() @IsDateString({}, { message: 'startsAt must be an ISO date-time, e.g. 2026-11-11T10:00:00+08:00' })
  startsAt?: string;

  @ApiPropertyOptional({ description: 'once: window end' }) @IsOptional() @IsDateString({}, { message: 'endsAt must be an ISO date-time, e.g. 2026-11-11T12:00:00+08:00' })
  endsAt?: string;

  @ApiPropertyOptional({ description: 'daily: first day (China date)', example: '2026-11-23' }) @IsOptional() @Matches(YMD, { message: 'firstDay must be YYYY-MM-DD' })
  firstDay?: string;

  @ApiPropertyOptional({ description: 'daily: last day (China date)' }) @IsOptional() @Matches(YMD, { message: 'lastDay must be YYYY-MM-DD' })
  lastDay?: string;

  @ApiPropertyOptional({ description: 'daily: slot start, China time', example: '10:00' }) @IsOptional() @Matches(HHMM, { message: 'startTime must be HH:MM, e.g. 10:00' })
  startTime?: string;

  @ApiPropertyOptional({ description: 'daily: slot length in minutes' }) @IsOptional() @IsInt() @Min(1) @Max(1440)
  durationMinutes?: number;

  @ApiPropertyOptional({ description: 'minutes an order may stay unpaid (default: the plugin setting)' }) @IsOptional() @IsInt() @Min(1) @Max(120)
  paymentTimeoutMinutes?: number;

  @ApiPropertyOptional({ description: 'coupons and spend-and-save may apply on top (default false)' }) @IsOptional() @IsBoolean()
  allowOrderDiscounts?: boolean;

  @ApiPropertyOptional({ description: 'orders earn distribution commission (default true)' }) @IsOptional() @IsBoolean()
  earnsCommission?: boolean;

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  isActive?: boolean;
}

export class ItemFields {
  @ApiPropertyOptional({ description: 'fen; below the variant price' }) @IsOptional() @IsInt() @Min(1) @Max(100_000_000)
  flashPrice?: number;

  @ApiPropertyOptional({ description: 'activity stock (units left); taken from / given back to the variant' }) @IsOptional() @IsInt() @Min(0) @Max(1_000_000)
  stock?: number;

  @ApiPropertyOptional({ default: 1 }) @IsOptional() @IsInt() @Min(1) @Max(99)
  perMemberLimit?: number;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(100_000)
  sortOrder?: number;
}

export class AddItemInput {
  @ApiProperty() @IsInt() @Min(1)
  variantId: number;

  @ApiProperty({ description: 'fen; below the variant price' }) @IsInt() @Min(1) @Max(100_000_000)
  flashPrice: number;

  @ApiProperty({ description: 'activity stock, taken from the variant\'s stock' }) @IsInt() @Min(1) @Max(1_000_000)
  stock: number;

  @ApiPropertyOptional({ default: 1 }) @IsOptional() @IsInt() @Min(1) @Max(99)
  perMemberLimit?: number;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(100_000)
  sortOrder?: number;
}

export class VariantSearchQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(60)
  q?: string;
}

// ------------------------------------------------------------------ buying

const SOLD_OUT = () => new ConflictError('flash_sold_out', 'sold out: every unit of this flash sale has been taken', 'quantity');

/**
 * POST /api/v1/flash-sale/items/:id/buy, cheapest refusals first: the signed cookie (no query), the
 * item and its window (memory), the sold-out mark (memory), the Redis gate (one round trip); only
 * then the normal checkout, whose transaction ends with the hot-row UPDATE. The member row is not
 * read: the cookie is signed, and the checkout finds the address only among the member's own.
 */
@Injectable()
export class FlashBuyService {
  constructor(private readonly state: FlashState, private readonly session: MemberSession, private readonly orders: OrderService) {}

  async buy(req: FastifyRequest, itemId: number, body: BuyInput) {
    const memberId = this.session.memberIdFrom(req);
    if (!memberId) throw new UnauthorizedError('Sign in first', 'sign_in_required');
    const quantity = body.quantity ?? 1;
    const live = this.state.get(itemId) ?? (await this.state.find(itemId));
    if (!live) throw new NotFoundError('flash_item', itemId);
    const { item, window } = live;
    if (window.phase === 'upcoming') throw new ConflictError('flash_not_started', `this flash sale starts at ${window.start.toISOString()}`);
    if (window.phase !== 'live') throw new ConflictError('flash_ended', 'this flash sale is over');
    if (quantity > item.perMemberLimit) throw new ConflictError('flash_limit_reached', `each member may buy at most ${item.perMemberLimit} of this flash item`, 'quantity');
    if (item.settled || this.state.isSoldOut(itemId)) throw SOLD_OUT();
    const gate = await this.state.admit(item, quantity);
    if (gate === 'sold_out') {
      this.state.markSoldOut(itemId, false);
      throw SOLD_OUT();
    }
    try {
      const request = { addressId: body.addressId, items: [{ variantId: item.variantId, quantity }], note: body.note, options: { ...body.options, flashSaleItemId: itemId } };
      let order: Awaited<ReturnType<OrderService['place']>>;
      for (let attempt = 1; ; attempt++) {
        try {
          order = await this.orders.place(memberId, request);
          break;
        } catch (err) {
          // the same member's parallel purchase committed first: try again, now seeing it (the limit decides);
          // or two orders drew the same order number (core's 6 random digits per second): nothing was written, try again
          const retry = (err instanceof MemberPurchaseRaceError && attempt <= item.perMemberLimit) || (orderNoClash(err) && attempt <= 3);
          if (!retry) throw err;
        }
      }
      // answered from what the checkout returned and the hook stashed: no query after the commit
      const placed = PLACED.get(order.id);
      PLACED.delete(order.id);
      return {
        id: order.id, orderNo: order.orderNo, status: order.status, itemsTotal: order.itemsTotal, discountTotal: order.discountTotal, shippingFee: order.shippingFee,
        payableTotal: order.payableTotal, paymentDueAt: placed?.paymentDueAt ?? order.paymentDueAt, lines: placed?.lines ?? [], actions: this.orders.buyerActions(order.status),
      };
    } catch (err) {
      if (err instanceof DomainError && err.code === 'flash_sold_out') this.state.markSoldOut(itemId, true);
      if (gate === 'admitted') {
        // the database said sold out: the gate was ahead of it, so set it from the database; else give the admission back
        if (err instanceof DomainError && err.code === 'flash_sold_out') void this.state.syncItem(itemId);
        else void this.state.giveBack(item, quantity);
      }
      throw err;
    }
  }
}

/** A unique-key clash on mall_order.order_no (the whole checkout rolled back). */
function orderNoClash(err: unknown): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const message = String((err as { driverError?: { message?: string } }).driverError?.message ?? err.message);
  return /mall_order\.order_no/.test(message) || /Duplicate entry '\d{22}'/.test(message);
}

const BUY_PATH = /^\/api\/v1\/flash-sale\/items\/(\d{1,9})\/buy(?:\?|$)/;
const PAGE_PATH = /^\/flash-sale\/?(?:\?|$)/;

/**
 * Two answers given from a Fastify onRequest hook, before routing, body parsing, validation or any
 * query, so that a rush costs less than the plainest request:
 * - a buy attempt for an item this instance knows is sold out gets its 409 at once;
 * - GET /flash-sale is sent from the page cache when a fresh rendering for the visitor's locale and
 *   the current state is there.
 * Everything else goes on to the controllers.
 */
@Injectable()
export class FlashFastPath implements OnModuleInit {
  private readonly soldOut = Buffer.from(JSON.stringify({ statusCode: 409, code: 'flash_sold_out', message: 'sold out: every unit of this flash sale has been taken', field: 'quantity' }));

  constructor(private readonly adapter: HttpAdapterHost, private readonly state: FlashState, private readonly page: FlashPageCache) {}

  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter?.getInstance<{ addHook(name: 'onRequest', fn: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>): void }>();
    if (!fastify?.addHook) return;
    fastify.addHook('onRequest', async (req, reply) => {
      if (req.method === 'GET') {
        if (PAGE_PATH.test(req.url) && this.page.tryFast(req, reply)) return reply;
        return;
      }
      if (req.method !== 'POST') return;
      const m = BUY_PATH.exec(req.url);
      if (!m) return;
      const id = Number(m[1]);
      const live = this.state.get(id);
      if (!live || !(live.item.settled || this.state.isSoldOut(id)) || live.window.phase !== 'live') return;
      void reply.status(409).header('content-type', 'application/json; charset=utf-8').send(this.soldOut);
      return reply;
    });
  }
}

// ------------------------------------------------------------------ HTTP

@ApiTags('flash-sale')
@Controller('api/v1/flash-sale')
export class FlashSaleApiController {
  constructor(private readonly flash: FlashSaleService, private readonly buyer: FlashBuyService, private readonly session: MemberSession) {}

  /** Running sessions and those to come, with their items. */
  @Get('sessions')
  async sessions() {
    return { now: new Date().toISOString(), sessions: await this.flash.sessions() };
  }

  /** Stock and sold share per item, from memory (polled by the page). */
  @Get('status')
  status(@Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('cache-control', 'public, max-age=1');
    return this.flash.status();
  }

  /** The signed-in member's part of the page (units held, default address); { signedIn: false } for visitors. */
  @Get('me')
  async me(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('cache-control', 'private, no-store');
    const memberId = this.session.memberIdFrom(req);
    if (!memberId) return { signedIn: false, now: new Date().toISOString(), purchases: {}, addressId: null };
    return { signedIn: true, now: new Date().toISOString(), ...(await this.flash.mine(memberId)) };
  }

  /** Buys at the flash price: a normal core order (pay it with POST /api/v1/orders/:orderNo/payments). */
  @Post('items/:id/buy')
  @HttpCode(201)
  buy(@Req() req: FastifyRequest, @Param('id', ParseIntPipe) id: number, @Body() body: BuyInput) {
    return this.buyer.buy(req, id, body);
  }
}

@ApiTags('flash-sale (admin)')
@Controller('api/v1/admin/flash-sale')
@AdminOnly()
export class FlashSaleAdminApiController {
  constructor(private readonly flash: FlashSaleService, @InjectDataSource() private readonly ds: DataSource) {}

  @Get('sessions')
  async list() {
    return { items: await this.flash.adminSessions() };
  }

  @Get('sessions/:id')
  one(@Param('id', ParseIntPipe) id: number) {
    return this.flash.adminSession(id);
  }

  @Post('sessions')
  create(@Body() body: SessionFields) {
    return this.flash.createSession(body);
  }

  @Patch('sessions/:id')
  update(@Param('id', ParseIntPipe) id: number, @Body() body: SessionFields) {
    return this.flash.updateSession(id, body);
  }

  @Delete('sessions/:id')
  remove(@Param('id', ParseIntPipe) id: number) {
    return this.flash.deleteSession(id);
  }

  @Post('sessions/:id/items')
  addItem(@Param('id', ParseIntPipe) id: number, @Body() body: AddItemInput) {
    return this.flash.addItem(id, body);
  }

  @Patch('items/:id')
  updateItem(@Param('id', ParseIntPipe) id: number, @Body() body: ItemFields) {
    return this.flash.updateItem(id, body);
  }

  @Delete('items/:id')
  removeItem(@Param('id', ParseIntPipe) id: number) {
    return this.flash.removeItem(id);
  }

  /** Variants to pick from (title search), with price and stock. */
  @Get('variants')
  async variants(@Query() q: VariantSearchQuery) {
    const qb = this.ds.getRepository(ProductVariant).createQueryBuilder('v').innerJoin(Product, 'p', 'p.id = v.product_id')
      .select(['v.id AS id', 'v.product_id AS productId', 'v.spec_values AS specValues', 'v.price AS price', 'v.stock AS stock', 'p.title AS title'])
      .where('v.is_active = :on', { on: true }).orderBy('v.id', 'DESC').limit(30);
    if (q.q?.trim()) qb.andWhere('p.title LIKE :q', { q: `%${q.q.trim()}%` });
    const rows = await qb.getRawMany<{ id: number; productId: number; specValues: string; price: number; stock: number; title: string }>();
    return { items: rows.map((r) => ({ id: Number(r.id), productId: Number(r.productId), title: r.title, specText: specText(JSON.parse(String(r.specValues || '[]')) as string[]), price: Number(r.price), stock: Number(r.stock) })) };
  }
}

/** Storefront: the flash-sale page, cached per session state (see FlashPageCache). */
@Controller('flash-sale')
export class FlashSalePagesController {
  constructor(private readonly cache: FlashPageCache) {}

  @Get()
  async page(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.cache.send(req, reply);
  }
}

@Controller('admin/flash-sale')
@AdminOnly()
export class FlashSaleAdminPagesController {
  constructor(private readonly flash: FlashSaleService, private readonly pages: PluginAdminPages) {}

  @Get()
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const settings = await this.flash.settings.get();
    await this.pages.render(req, reply, 'flash-sale', 'admin-flash-sale', { title: '秒杀 Flash sale', sessions: await this.flash.adminSessions(), defaultPaymentTimeoutMinutes: settings.defaultPaymentTimeoutMinutes, redis: !!this.flash.state.gate });
  }
}

@Module({
  imports: [OrderModule, ThemeModule],
  controllers: [FlashSaleApiController, FlashSaleAdminApiController, FlashSalePagesController, FlashSaleAdminPagesController],
  providers: [FlashState, FlashSaleService, FlashBuyService, FlashFastPath, FlashPageCache, FlashPriceAdjuster, ReserveOnPlacedHook, ReturnOnClosedHook, SettleEndedJob, ProductOfferLoader],
  exports: [FlashSaleService, FlashState],
})
export class FlashSaleModule {}
