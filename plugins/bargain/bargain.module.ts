import { Body, Controller, Get, HttpCode, Injectable, Module, Param, ParseIntPipe, Post, Put, Req, Res, UseGuards } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsDateString, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  AdminOnly, BadInputError, ConflictError, CurrentMember, DomainError, MemberGuard, MemberSession, PluginPages,
  type DomainEvent, type PriceAdjustment, type PricingAdjuster, type PricingContext, type SlotContext, type SlotDataLoader, type TransactionalEventHook, type TxContext,
} from '../../core/plugin/index.js';
import type { Member } from '../../core/customer/entities/member.entity.js';
import { BargainService, type ActivityInput } from './bargain.service.js';
import { ADJUSTER_ID, yuan } from './bargain.rules.js';
import type { BargainBuyMode } from './entities/bargain-activity.entity.js';
import { BargainI18n } from './bargain.i18n.js';
import { ThemeModule } from '../../core/theme/theme.module.js';

// The checkout option this plugin reads (declaration merging documents it on the core type).
declare module '../../core/pricing/pricing.types.js' {
  interface CheckoutOptions {
    /** Buy the member's bargain N at its current price (the bargain page's buy button sets it). */
    bargainId?: number;
  }
}

// ------------------------------------------------------------------ pricing

/**
 * The bargain price of one line (line-price stage, exclusive group "activity-price", priority 30):
 * it never stacks with a flash-sale, group-buy or partner price. If another activity priced the
 * line first, the purchase is refused (409 bargain_price_conflict) instead of being sold at the
 * other price; activities with a higher priority number never get the line. One unit per bargain.
 * The price adjustment carries the activity's switches: `allowsOrderDiscounts` (coupons and
 * spend-and-save on top) and `data.earnsCommission` (read by distribution). When placing, the
 * bargain is marked ordered with a conditional UPDATE, so it can be bought once.
 */
@Injectable()
export class BargainPriceAdjuster implements PricingAdjuster {
  readonly id = ADJUSTER_ID;
  readonly stage = 'line-price' as const;
  readonly priority = 30;
  readonly exclusiveGroup = 'activity-price';

  constructor(private readonly bargains: BargainService) {}

  async adjust(ctx: PricingContext): Promise<Array<Omit<PriceAdjustment, 'source'>>> {
    const raw = ctx.options.bargainId as unknown;
    if (raw === undefined || raw === null || raw === '') return [];
    const id = typeof raw === 'string' && /^\d{1,10}$/.test(raw) ? Number(raw) : raw;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) throw new BadInputError('options.bargainId', 'bargainId must be a positive whole number (the bargain id)', 'invalid_bargain_id');
    await this.bargains.ensureEnabled();
    if (ctx.memberId === null) return [];
    const { bargain, activity } = await this.bargains.forCheckout(ctx.manager, ctx.memberId, id, ctx.now);
    const line = ctx.lines.find((l) => l.variantId === bargain.variantId);
    if (!line) throw new BadInputError('options.bargainId', `bargain ${bargain.id} is for variant ${bargain.variantId}, which is not in this order`, 'bargain_not_in_order');
    if (line.quantity > 1) throw new ConflictError('bargain_quantity_limit', 'a bargain buys exactly one unit at the bargain price', `items.${line.index}.quantity`);
    const other = ctx.adjustments.find((a) => a.kind === 'price' && a.lineIndex === line.index);
    if (other) throw new ConflictError('bargain_price_conflict', `this line already has another activity price (${other.label}); a bargain price never combines with it`, 'options.bargainId');
    if (ctx.placing) await this.bargains.markOrdered(ctx.manager, bargain.id);
    const amount = Math.min(bargain.currentPrice, line.listUnitPrice);
    return [{
      kind: 'price', label: `砍价 ¥${yuan(amount)}`, amount, lineIndex: line.index, allowsOrderDiscounts: activity.allowOrderDiscounts,
      data: { bargainId: bargain.id, activityId: activity.id, earnsCommission: activity.earnsCommission, allowsOrderDiscounts: activity.allowOrderDiscounts },
    }];
  }
}

/** In the order.placed transaction: the bargain gets the order id. */
@Injectable()
export class AttachOrderHook implements TransactionalEventHook<'order.placed'> {
  readonly name = 'bargain:attach-order';
  readonly events = ['order.placed'] as const;
  constructor(private readonly bargains: BargainService) {}
  async handle(event: Omit<DomainEvent<'order.placed'>, 'id'>, tx: TxContext): Promise<void> {
    await this.bargains.attachOrder(tx.manager, event.payload.orderId);
  }
}

/** In the order.closed transaction (unpaid order cancelled or timed out): the bargain can be bought again while it lasts. */
@Injectable()
export class ReleaseOnCloseHook implements TransactionalEventHook<'order.closed'> {
  readonly name = 'bargain:release-on-close';
  readonly events = ['order.closed'] as const;
  constructor(private readonly bargains: BargainService) {}
  async handle(event: Omit<DomainEvent<'order.closed'>, 'id'>, tx: TxContext): Promise<void> {
    await this.bargains.releaseOrder(tx.manager, event.payload.orderId);
  }
}

// ------------------------------------------------------------------ slots

/** product.actions: 发起砍价 when the product has a live activity. */
@Injectable()
export class ProductActionLoader implements SlotDataLoader {
  constructor(private readonly bargains: BargainService) {}
  async load(ctx: SlotContext) {
    if (ctx.page !== 'product' || !(await this.bargains.isEnabled())) return null;
    const product = ctx.data.product as { id?: number } | undefined;
    if (!product?.id) return null;
    const activity = await this.bargains.liveForProduct(product.id);
    return activity ? { activity, signedIn: ctx.memberId !== null } : null;
  }
}

/** checkout.summary: carries ?bargainId= from the bargain page's buy button into the checkout options. */
@Injectable()
export class CheckoutOptionLoader implements SlotDataLoader {
  constructor(private readonly bargains: BargainService) {}
  async load(ctx: SlotContext) {
    if (ctx.page !== 'checkout' || !ctx.memberId || !(await this.bargains.isEnabled())) return null;
    return {};
  }
}

// ------------------------------------------------------------------ HTTP

function clientIp(req: FastifyRequest): string | undefined {
  return req.ip || undefined;
}

export class ActivityBody {
  @ApiProperty({ example: '好友帮砍 0 元拿' }) @IsString() @Length(1, 64)
  title: string;

  @ApiProperty() @IsInt() @Min(1)
  variantId: number;

  @ApiProperty({ description: 'fen; ≤ the variant price' }) @IsInt() @Min(2) @Max(100_000_000)
  startPrice: number;

  @ApiProperty({ description: 'fen; < startPrice' }) @IsInt() @Min(1) @Max(100_000_000)
  floorPrice: number;

  @ApiProperty({ minimum: 1, maximum: 100 }) @IsInt() @Min(1, { message: 'helpersNeeded must be 1-100' }) @Max(100, { message: 'helpersNeeded must be 1-100' })
  helpersNeeded: number;

  @ApiProperty({ description: 'minutes a bargain stays open (1 min - 30 days)' }) @IsInt() @Min(1) @Max(43_200)
  durationMinutes: number;

  @ApiProperty() @IsDateString()
  startsAt: string;

  @ApiProperty() @IsDateString()
  endsAt: string;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(100)
  maxStartsPerMember?: number;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(1000)
  maxHelpsPerDay?: number;

  @ApiPropertyOptional({ enum: ['any', 'floor'] }) @IsOptional() @IsIn(['any', 'floor'])
  buyMode?: BargainBuyMode;

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  initiatorCut?: boolean;

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  allowOrderDiscounts?: boolean;

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  earnsCommission?: boolean;

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  isActive?: boolean;
}

export class ActivityPatch {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 64) title?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) variantId?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(2) @Max(100_000_000) startPrice?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(100_000_000) floorPrice?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1, { message: 'helpersNeeded must be 1-100' }) @Max(100, { message: 'helpersNeeded must be 1-100' }) helpersNeeded?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(43_200) durationMinutes?: number;
  @ApiPropertyOptional() @IsOptional() @IsDateString() startsAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsDateString() endsAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(100) maxStartsPerMember?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(1000) maxHelpsPerDay?: number;
  @ApiPropertyOptional() @IsOptional() @IsIn(['any', 'floor']) buyMode?: BargainBuyMode;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() initiatorCut?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() allowOrderDiscounts?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() earnsCommission?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() isActive?: boolean;
}

function toInput<T extends { startsAt?: string; endsAt?: string }>(body: T): Omit<T, 'startsAt' | 'endsAt'> & { startsAt?: Date; endsAt?: Date } {
  const { startsAt, endsAt, ...rest } = body;
  return { ...rest, ...(startsAt !== undefined ? { startsAt: new Date(startsAt) } : {}), ...(endsAt !== undefined ? { endsAt: new Date(endsAt) } : {}) };
}

@ApiTags('bargain')
@Controller('api/v1/bargain')
export class BargainController {
  constructor(private readonly bargains: BargainService) {}

  @Get('activities')
  async list() {
    await this.bargains.ensureEnabled();
    return { items: await this.bargains.liveActivities() };
  }

  @Get('activities/:id')
  async activity(@Param('id', ParseIntPipe) id: number) {
    await this.bargains.ensureEnabled();
    return this.bargains.activity(id);
  }

  @Post('activities/:id/start')
  @UseGuards(MemberGuard)
  async start(@CurrentMember() m: Member, @Param('id', ParseIntPipe) id: number, @Req() req: FastifyRequest) {
    await this.bargains.ensureEnabled();
    await this.bargains.checkBurst(m.id, clientIp(req));
    return this.bargains.start(m.id, id);
  }

  @Get('bargains/:id')
  async bargain(@Param('id', ParseIntPipe) id: number) {
    await this.bargains.ensureEnabled();
    return this.bargains.bargain(id);
  }

  /** 帮砍一刀: a signed-in friend's cut. */
  @Post('bargains/:id/help')
  @UseGuards(MemberGuard)
  async help(@CurrentMember() m: Member, @Param('id', ParseIntPipe) id: number, @Req() req: FastifyRequest) {
    await this.bargains.ensureEnabled();
    await this.bargains.checkBurst(m.id, clientIp(req));
    return this.bargains.help(m.id, id);
  }

  @Get('me')
  @UseGuards(MemberGuard)
  async mine(@CurrentMember() m: Member) {
    await this.bargains.ensureEnabled();
    return { items: await this.bargains.mine(m.id) };
  }
}

@ApiTags('bargain (admin)')
@Controller('api/v1/admin/bargain/activities')
@AdminOnly()
export class BargainAdminApiController {
  constructor(private readonly bargains: BargainService) {}

  @Get()
  async list() {
    return { items: await this.bargains.listActivities(), enabled: await this.bargains.isEnabled() };
  }

  @Post()
  create(@Body() body: ActivityBody) {
    return this.bargains.createActivity(toInput(body) as ActivityInput);
  }

  @Put(':id')
  @HttpCode(200)
  update(@Param('id', ParseIntPipe) id: number, @Body() body: ActivityPatch) {
    return this.bargains.updateActivity(id, toInput(body));
  }
}

/** Storefront pages: 404 bargain_disabled until the switch is on. */
@Controller('bargain')
export class BargainPagesController {
  constructor(private readonly bargains: BargainService, private readonly pages: PluginPages, private readonly session: MemberSession, private readonly i18n: BargainI18n) {}

  private async enabledOr404(): Promise<void> {
    if (!(await this.bargains.isEnabled())) throw new DomainError(404, 'bargain_disabled', 'bargaining is not available in this shop');
  }

  @Get()
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.enabledOr404();
    const member = await this.session.current(req);
    const [activities, mine] = await Promise.all([this.bargains.liveActivities(), member ? this.bargains.mine(member.id) : Promise.resolve([])]);
    await this.pages.render(req, reply, 'bargain', 'activities', { title: this.i18n.t(this.i18n.pageLocale(req), 'title.list'), activities, mine, signedIn: !!member });
  }

  @Get('activities/:id')
  async activity(@Param('id', ParseIntPipe) id: number, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.enabledOr404();
    const member = await this.session.current(req);
    const activity = await this.bargains.activity(id);
    const mine = member ? (await this.bargains.mine(member.id)).filter((b) => b.activityId === id) : [];
    await this.pages.render(req, reply, 'bargain', 'activity', { title: activity.title, activity, mine, running: mine.find((b) => b.state === 'open' || b.state === 'floor') ?? null, signedIn: !!member, next: req.url });
  }

  @Get(':id')
  async bargain(@Param('id', ParseIntPipe) id: number, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.enabledOr404();
    const member = await this.session.current(req);
    const bargain = await this.bargains.bargain(id);
    const isOwner = member?.id === bargain.memberId;
    const helped = !!member && bargain.helpers.length > 0 && (await this.bargains.hasHelped(bargain.id, member.id));
    await this.pages.render(req, reply, 'bargain', 'bargain', {
      title: this.i18n.t(this.i18n.pageLocale(req), 'title.bargain', { product: bargain.activity.productTitle }), bargain, isOwner, helped, signedIn: !!member, next: req.url,
      canHelp: !!member && !isOwner && !helped && bargain.state === 'open',
      checkoutUrl: `/checkout?variantId=${bargain.variantId}&quantity=1&bargainId=${bargain.id}`,
    });
  }
}

@Controller('admin/bargain')
@AdminOnly()
export class BargainAdminPagesController {
  constructor(private readonly bargains: BargainService, private readonly i18n: BargainI18n) {}

  @Get()
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.i18n.renderAdmin(req, reply, 'admin-bargain', 'title.admin', { activities: await this.bargains.listActivities(), enabled: await this.bargains.isEnabled() });
  }
}

@Module({
  imports: [ThemeModule],
  controllers: [BargainController, BargainAdminApiController, BargainPagesController, BargainAdminPagesController],
  providers: [BargainService, BargainI18n, BargainPriceAdjuster, AttachOrderHook, ReleaseOnCloseHook, ProductActionLoader, CheckoutOptionLoader],
  exports: [BargainService],
})
export class BargainModule {}
