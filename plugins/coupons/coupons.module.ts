import { Body, Controller, Get, HttpCode, Injectable, Module, Param, ParseIntPipe, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsDateString, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  AdminOnly, BadInputError, ConflictError, CurrentMember, MemberGuard, MemberSession, PluginAdminPages, PluginPages,
  type DomainEvent, type EventSubscriber, type PricingAdjuster, type PricingContext, type ScheduledJob, type SlotContext, type SlotDataLoader, type TransactionalEventHook, type TxContext,
} from '../../core/plugin/index.js';
import type { Member } from '../../core/customer/entities/member.entity.js';
import type { CheckoutPreview } from '../../core/order/order.service.js';
import { ADJUSTER_ID, CouponsService } from './coupons.service.js';
import { couponDiscount, couponLabel } from './coupon.rules.js';
import type { MemberCouponStatus } from './entities/member-coupon.entity.js';

// Checkout options this plugin reads (declaration merging documents them on the core type).
declare module '../../core/pricing/pricing.types.js' {
  interface CheckoutOptions {
    /** A coupon code the member has claimed, e.g. "NEW10". */
    couponCode?: string;
    /** Or the id of the member's copy (GET /api/v1/me/coupons). */
    memberCouponId?: number;
  }
}

// ------------------------------------------------------------------ pricing

/**
 * The coupon's discount, on the discountable total left after earlier order discounts: priority 200
 * runs after spend-and-save (100), so the coupon's minimum spend is checked against the total after
 * 满减. When the order is being placed, the member's copy is marked used in the same transaction.
 */
@Injectable()
export class CouponAdjuster implements PricingAdjuster {
  readonly id = ADJUSTER_ID;
  readonly stage = 'order-discount' as const;
  readonly priority = 200;
  readonly exclusiveGroup = 'coupon';

  constructor(private readonly coupons: CouponsService) {}

  async adjust(ctx: PricingContext) {
    const { couponCode, memberCouponId } = ctx.options;
    if ((couponCode === undefined || couponCode === '') && memberCouponId === undefined) return [];
    if (couponCode !== undefined && (typeof couponCode !== 'string' || couponCode.length > 32)) throw new BadInputError('options.couponCode', 'couponCode must be a coupon code', 'invalid_coupon_code');
    if (memberCouponId !== undefined && !(Number.isSafeInteger(memberCouponId) && Number(memberCouponId) > 0)) throw new BadInputError('options.memberCouponId', 'memberCouponId must be a positive whole number', 'invalid_coupon_code');
    if (ctx.memberId === null) return [];
    const { mc, coupon } = await this.coupons.resolveForCheckout(ctx.manager, ctx.memberId, { code: couponCode || undefined, memberCouponId }, ctx.now);
    const base = ctx.discountableTotal() - ctx.discountTotal();
    if (base < coupon.minSpend) {
      throw new ConflictError('coupon_min_spend', `coupon ${coupon.name} (${couponLabel(coupon)}) needs ¥${(coupon.minSpend / 100).toFixed(2)} of eligible items after other discounts (such as spend-and-save); this order has ¥${(base / 100).toFixed(2)}`, 'options.couponCode');
    }
    const amount = couponDiscount(coupon, base);
    if (amount <= 0) return [];
    if (ctx.placing) await this.coupons.markUsed(ctx.manager, mc, coupon, ctx.now);
    return [{ kind: 'discount' as const, label: `优惠券 ${couponLabel(coupon)}`, amount, data: { memberCouponId: mc.id, couponId: coupon.id, code: coupon.code } }];
  }
}

// ------------------------------------------------------------------ events and jobs

/** In the order.placed transaction: the used copy gets the order id. */
@Injectable()
export class AttachOrderHook implements TransactionalEventHook<'order.placed'> {
  readonly name = 'coupons:attach-order';
  readonly events = ['order.placed'] as const;
  constructor(private readonly coupons: CouponsService) {}
  async handle(event: Omit<DomainEvent<'order.placed'>, 'id'>, tx: TxContext): Promise<void> {
    await this.coupons.attachOrder(tx.manager, event.payload.orderId);
  }
}

/** After an unpaid order closes (cancelled or timed out), its coupon returns to the member. */
@Injectable()
export class RestoreOnCloseSubscriber implements EventSubscriber<'order.closed'> {
  readonly name = 'coupons:restore-on-close';
  readonly events = ['order.closed'] as const;
  constructor(private readonly coupons: CouponsService) {}
  async handle(event: DomainEvent<'order.closed'>): Promise<void> {
    await this.coupons.restoreForOrder(event.payload.orderId);
  }
}

@Injectable()
export class ExpireCouponsJob implements ScheduledJob {
  readonly name = 'coupons:expire';
  readonly everySeconds = 600;
  constructor(private readonly coupons: CouponsService) {}
  async run(): Promise<void> {
    await this.coupons.expireDue();
  }
}

// ------------------------------------------------------------------ slots

/** member.menu: a link to the coupon centre with the number of usable coupons. */
@Injectable()
export class MemberMenuLoader implements SlotDataLoader {
  constructor(private readonly coupons: CouponsService) {}
  async load(ctx: SlotContext) {
    if (ctx.page !== 'member' || !ctx.memberId) return null;
    return { usableCount: (await this.coupons.usable(ctx.memberId)).length };
  }
}

/** checkout.summary: the member's usable coupons as a choice the checkout script sends as options.couponCode. */
@Injectable()
export class CheckoutCouponsLoader implements SlotDataLoader {
  constructor(private readonly coupons: CouponsService) {}
  async load(ctx: SlotContext) {
    if (ctx.page !== 'checkout' || !ctx.memberId || !(await this.coupons.settings.get()).showOnCheckout) return null;
    const preview = ctx.data.preview as CheckoutPreview | null | undefined;
    const base = preview ? preview.itemsTotal - preview.discountTotal : 0;
    const usable = await this.coupons.usable(ctx.memberId);
    const options = usable.map((m) => ({ ...m, meetsMinSpend: base >= m.coupon.minSpend, saving: couponDiscount(m.coupon, base) })).sort((a, b) => b.saving - a.saving);
    return { coupons: options, count: options.filter((o) => o.meetsMinSpend).length };
  }
}

// ------------------------------------------------------------------ HTTP

export class CreateCouponInput {
  @ApiProperty({ example: 'NEW10' }) @IsString() @Matches(/^[A-Za-z0-9_-]{3,32}$/, { message: 'code must be 3-32 letters, digits, _ or -' })
  code: string;

  @ApiProperty({ example: '新人券' }) @IsString() @Length(1, 64)
  name: string;

  @ApiProperty({ enum: ['fixed', 'percent'] }) @IsIn(['fixed', 'percent'])
  type: 'fixed' | 'percent';

  @ApiPropertyOptional({ description: 'fixed: fen off' }) @IsOptional() @IsInt() @Min(1) @Max(100_000_000)
  amount?: number;

  @ApiPropertyOptional({ description: 'percent: basis points off (1500 = 15 % off)' }) @IsOptional() @IsInt() @Min(1) @Max(9999)
  percentBp?: number;

  @ApiPropertyOptional({ description: 'percent: cap in fen' }) @IsOptional() @IsInt() @Min(1) @Max(100_000_000)
  maxDiscount?: number;

  @ApiPropertyOptional({ description: 'fen of eligible items (after spend-and-save) needed' }) @IsOptional() @IsInt() @Min(0) @Max(100_000_000)
  minSpend?: number;

  @ApiProperty({ example: '2026-11-01T00:00:00+08:00' }) @IsDateString()
  validFrom: string;

  @ApiProperty({ example: '2026-12-01T00:00:00+08:00' }) @IsDateString()
  validTo: string;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(100)
  perMemberLimit?: number;

  @ApiProperty() @IsInt() @Min(1) @Max(10_000_000)
  totalQuantity: number;

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  isActive?: boolean;
}

export class MyCouponsQuery {
  @ApiPropertyOptional({ enum: ['claimed', 'used', 'expired', 'void'] }) @IsOptional() @IsIn(['claimed', 'used', 'expired', 'void'])
  status?: MemberCouponStatus;
}

@ApiTags('coupons')
@Controller('api/v1')
export class CouponsController {
  constructor(private readonly coupons: CouponsService, private readonly session: MemberSession) {}

  /** Coupons that can be claimed now; `canClaim` reflects the signed-in member's limit. */
  @Get('coupons')
  async list(@Req() req: FastifyRequest) {
    const member = await this.session.current(req);
    return { items: await this.coupons.claimable(member?.id ?? null) };
  }

  @Post('coupons/:id/claim')
  @UseGuards(MemberGuard)
  claim(@CurrentMember() m: Member, @Param('id', ParseIntPipe) id: number) {
    return this.coupons.claim(m.id, id);
  }

  @Get('me/coupons')
  @UseGuards(MemberGuard)
  async mine(@CurrentMember() m: Member, @Query() q: MyCouponsQuery) {
    return { items: await this.coupons.mine(m.id, q.status) };
  }
}

@ApiTags('coupons (admin)')
@Controller('api/v1/admin/coupons')
@AdminOnly()
export class CouponsAdminApiController {
  constructor(private readonly coupons: CouponsService) {}

  @Get()
  async list() {
    return { items: await this.coupons.listAll() };
  }

  @Post()
  create(@Body() body: CreateCouponInput) {
    const validFrom = new Date(body.validFrom);
    const validTo = new Date(body.validTo);
    return this.coupons.create({ ...body, validFrom, validTo });
  }

  @Post(':id/activate')
  @HttpCode(200)
  activate(@Param('id', ParseIntPipe) id: number) {
    return this.coupons.setActive(id, true);
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  deactivate(@Param('id', ParseIntPipe) id: number) {
    return this.coupons.setActive(id, false);
  }
}

/** Storefront: the coupon centre (claim) and the member's coupons. */
@Controller('coupons')
export class CouponsPagesController {
  constructor(private readonly coupons: CouponsService, private readonly pages: PluginPages, private readonly session: MemberSession) {}

  @Get()
  async centre(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const member = await this.session.current(req);
    const [available, mine, settings] = await Promise.all([this.coupons.claimable(member?.id ?? null), member ? this.coupons.mine(member.id) : Promise.resolve([]), this.coupons.settings.get()]);
    await this.pages.render(req, reply, 'coupons', 'centre', { title: settings.centreTitle, available, mine, signedIn: !!member });
  }
}

@Controller('admin/coupons')
@AdminOnly()
export class CouponsAdminPagesController {
  constructor(private readonly coupons: CouponsService, private readonly pages: PluginAdminPages) {}

  @Get()
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.pages.render(req, reply, 'coupons', 'admin-coupons', { title: '优惠券 Coupons', coupons: await this.coupons.listAll() });
  }
}

@Module({
  controllers: [CouponsController, CouponsAdminApiController, CouponsPagesController, CouponsAdminPagesController],
  providers: [CouponsService, CouponAdjuster, AttachOrderHook, RestoreOnCloseSubscriber, ExpireCouponsJob, MemberMenuLoader, CheckoutCouponsLoader],
  exports: [CouponsService],
})
export class CouponsModule {}
