import { Body, Controller, Get, HttpCode, Injectable, Logger, Module, Param, ParseIntPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsDateString, IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  AdminOnly, MemberSession, PluginPages,
  type DomainEvent, type EventSubscriber, type OrderTransitionHook, type PricingAdjuster, type PricingContext, type ScheduledJob,
  type SlotContext, type SlotDataLoader, type TransactionalEventHook, type TransitionRequest, type TxContext,
} from '../../core/plugin/index.js';
import { OrderModule } from '../../core/order/order.module.js';
import { PaymentModule } from '../../core/payment/payment.module.js';
import { ThemeModule } from '../../core/theme/theme.module.js';
import { Address } from '../../core/customer/entities/address.entity.js';
import { ProductVariant } from '../../core/catalog/entities/product-variant.entity.js';
import { specText } from '../../core/catalog/catalog.service.js';
import { ADJUSTER_ID, GroupBuyService, type ActivityInput } from './group-buy.service.js';
import { TEAM_HOURS_MAX, TEAM_SIZE_MAX, TEAM_SIZE_MIN } from './group-buy.rules.js';
import { GroupBuyI18n } from './group-buy.i18n.js';

// Checkout options this plugin reads (declaration merging documents them on the core type).
declare module '../../core/pricing/pricing.types.js' {
  interface CheckoutOptions {
    /** Open a new team of this group-buy activity (the member becomes its leader). */
    groupBuyActivityId?: number;
    /** Join this open team (from its share card). */
    groupBuyTeamId?: number;
  }
}

// ------------------------------------------------------------------ pricing

/**
 * The group price of a group-buy checkout's line (line-price stage, exclusive group "activity-price",
 * priority 30: after flash sales at 20). It never stacks with another activity price: a line already
 * priced by another activity is refused with 409 rather than sold at the group price or placed in a team.
 */
@Injectable()
export class GroupBuyAdjuster implements PricingAdjuster {
  readonly id = ADJUSTER_ID;
  readonly stage = 'line-price' as const;
  readonly priority = 30;
  readonly exclusiveGroup = 'activity-price';
  constructor(private readonly groupBuy: GroupBuyService) {}
  adjust(ctx: PricingContext) {
    return this.groupBuy.priceCheckout(ctx);
  }
}

// ------------------------------------------------------------------ order events

@Injectable()
export class AttachSeatHook implements TransactionalEventHook<'order.placed'> {
  readonly name = 'group-buy:attach-seat';
  readonly events = ['order.placed'] as const;
  constructor(private readonly groupBuy: GroupBuyService) {}
  async handle(event: Omit<DomainEvent<'order.placed'>, 'id'>, tx: TxContext): Promise<void> {
    await this.groupBuy.attachOrder(tx.manager, event.payload.orderId);
  }
}

/** In the payment transaction: the seat counts; the last paid seat forms the team. */
@Injectable()
export class SeatPaidHook implements TransactionalEventHook<'order.paid'> {
  readonly name = 'group-buy:seat-paid';
  readonly events = ['order.paid'] as const;
  constructor(private readonly groupBuy: GroupBuyService) {}
  async handle(event: Omit<DomainEvent<'order.paid'>, 'id'>, tx: TxContext): Promise<void> {
    await this.groupBuy.seatPaid(tx, event.payload.orderId);
  }
}

/** An unpaid order closed: its seat is freed and the activity stock returns. */
@Injectable()
export class SeatClosedHook implements TransactionalEventHook<'order.closed'> {
  readonly name = 'group-buy:seat-closed';
  readonly events = ['order.closed'] as const;
  constructor(private readonly groupBuy: GroupBuyService) {}
  async handle(event: Omit<DomainEvent<'order.closed'>, 'id'>, tx: TxContext): Promise<void> {
    await this.groupBuy.seatClosed(tx.manager, event.payload.orderId);
  }
}

/** A refunded member leaves the team. */
@Injectable()
export class SeatRefundedHook implements TransactionalEventHook<'order.refunded'> {
  readonly name = 'group-buy:seat-refunded';
  readonly events = ['order.refunded'] as const;
  constructor(private readonly groupBuy: GroupBuyService) {}
  async handle(event: Omit<DomainEvent<'order.refunded'>, 'id'>, tx: TxContext): Promise<void> {
    await this.groupBuy.seatRefunded(tx.manager, event.payload.orderId);
  }
}

/** After commit: a payment for a seat that lost is refunded at once (retried until it succeeds). */
@Injectable()
export class RefundLostSeatSubscriber implements EventSubscriber<'order.paid'> {
  readonly name = 'group-buy:refund-lost-seat';
  readonly events = ['order.paid'] as const;
  constructor(private readonly groupBuy: GroupBuyService) {}
  async handle(event: DomainEvent<'order.paid'>): Promise<void> {
    await this.groupBuy.refundLost(event.payload.orderId);
  }
}

/** Tells members their team formed or failed. WeChat template messages subscribe to the same events later. */
@Injectable()
export class NotifyMembersSubscriber implements EventSubscriber<'group-buy.formed' | 'group-buy.failed'> {
  readonly name = 'group-buy:notify-members';
  readonly events = ['group-buy.formed', 'group-buy.failed'] as const;
  private readonly logger = new Logger('GroupBuy');
  async handle(event: DomainEvent<'group-buy.formed' | 'group-buy.failed'>): Promise<void> {
    const p = event.payload;
    const what = event.type === 'group-buy.formed' ? '拼团成功 team formed: orders may ship' : '拼团失败 team timed out: orders refunded';
    this.logger.log(`notify members ${p.memberIds.join(',')} of team ${p.teamId}: ${what}`);
  }
}

/** Shipping is refused (409 group_not_formed) until the order's team forms. */
@Injectable()
export class ShipAfterFormedHook implements OrderTransitionHook {
  readonly name = 'group-buy:ship-after-formed';
  readonly order = 10;
  constructor(private readonly groupBuy: GroupBuyService) {}
  async beforeTransition(r: TransitionRequest): Promise<void> {
    if (r.to === 'shipped') await this.groupBuy.assertMayShip(r.tx.manager, r.order.id, r.order.orderNo);
  }
}

@Injectable()
export class TeamTimeoutJob implements ScheduledJob {
  readonly name = 'group-buy:team-timeout';
  readonly everySeconds = 30;
  constructor(private readonly groupBuy: GroupBuyService) {}
  async run(): Promise<void> {
    await this.groupBuy.expireDue();
  }
}

// ------------------------------------------------------------------ slots

/** product.price: the group price of a running activity. */
@Injectable()
export class ProductPriceLoader implements SlotDataLoader {
  constructor(private readonly groupBuy: GroupBuyService) {}
  async load(ctx: SlotContext) {
    const product = ctx.data.product as { id?: number } | undefined;
    if (ctx.page !== 'product' || !product?.id) return null;
    const activity = await this.groupBuy.activityForProduct(product.id);
    if (!activity) return null;
    const full = await this.groupBuy.activity(activity.id);
    return { activity: full, minGroupPrice: Math.min(...full.items.map((i) => i.groupPrice)) };
  }
}

/** product.actions: open teams to join (avatars, countdowns, 去参团) and a link to open a team. */
@Injectable()
export class ProductTeamsLoader implements SlotDataLoader {
  constructor(private readonly groupBuy: GroupBuyService) {}
  async load(ctx: SlotContext) {
    const product = ctx.data.product as { id?: number } | undefined;
    if (ctx.page !== 'product' || !product?.id) return null;
    const activity = await this.groupBuy.activityForProduct(product.id);
    if (!activity) return null;
    const limit = (await this.groupBuy.settings.get()).openTeamsOnProductPage;
    const teams = limit > 0 ? await this.groupBuy.openTeams(activity.id, limit) : [];
    return { activity, teams };
  }
}

// ------------------------------------------------------------------ HTTP input

export class ActivityItemBody {
  @ApiProperty() @IsInt() @Min(1)
  variantId: number;

  @ApiProperty({ description: 'fen, below the variant price' }) @IsInt() @Min(1) @Max(100_000_000)
  groupPrice: number;

  @ApiPropertyOptional({ description: 'fen; what the leader pays', nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(100_000_000)
  leaderPrice?: number | null;

  @ApiProperty({ description: 'units set aside for the activity' }) @IsInt() @Min(1) @Max(1_000_000)
  stock: number;
}

export class ActivityBody {
  @ApiProperty({ example: '两人拼团' }) @IsString() @Length(1, 64)
  name: string;

  @ApiProperty() @IsInt() @Min(1)
  productId: number;

  @ApiProperty({ minimum: TEAM_SIZE_MIN, maximum: TEAM_SIZE_MAX }) @IsInt() @Min(TEAM_SIZE_MIN, { message: `teamSize must be at least ${TEAM_SIZE_MIN}` }) @Max(TEAM_SIZE_MAX, { message: `teamSize must be at most ${TEAM_SIZE_MAX}` })
  teamSize: number;

  @ApiProperty({ description: 'hours a team has to fill up' }) @IsInt() @Min(1) @Max(TEAM_HOURS_MAX)
  teamHours: number;

  @ApiProperty() @IsDateString()
  startsAt: string;

  @ApiProperty() @IsDateString()
  endsAt: string;

  @ApiPropertyOptional({ description: 'units per member in this activity' }) @IsOptional() @IsInt() @Min(1) @Max(99)
  perMemberLimit?: number;

  @ApiPropertyOptional({ description: '模拟成团: complete a team at least this % full at timeout; null = off', nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(100)
  virtualSuccessPercent?: number | null;

  @ApiPropertyOptional({ description: 'coupons and spend-and-save apply on top of the group price' }) @IsOptional() @IsBoolean()
  allowOrderDiscounts?: boolean;

  @ApiPropertyOptional({ description: 'orders earn distribution commission' }) @IsOptional() @IsBoolean()
  earnsCommission?: boolean;

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  isActive?: boolean;

  @ApiProperty({ type: [ActivityItemBody] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => ActivityItemBody)
  items: ActivityItemBody[];
}

function toInput(body: ActivityBody): ActivityInput {
  return { ...body, startsAt: new Date(body.startsAt), endsAt: new Date(body.endsAt), items: body.items.map((i) => ({ variantId: i.variantId, groupPrice: i.groupPrice, leaderPrice: i.leaderPrice ?? null, stock: i.stock })) };
}

// ------------------------------------------------------------------ HTTP: storefront API

@ApiTags('group-buy')
@Controller('api/v1/group-buy')
export class GroupBuyController {
  constructor(private readonly groupBuy: GroupBuyService) {}

  @Get('activities')
  async activities() {
    return { items: await this.groupBuy.runningActivities() };
  }

  @Get('activities/:id')
  async activity(@Param('id', ParseIntPipe) id: number) {
    return { ...(await this.groupBuy.activity(id)), openTeams: await this.groupBuy.openTeams(id, 20) };
  }

  @Get('teams/:id')
  team(@Param('id', ParseIntPipe) id: number) {
    return this.groupBuy.team(id);
  }
}

// ------------------------------------------------------------------ HTTP: admin API

@ApiTags('group-buy (admin)')
@Controller('api/v1/admin/group-buy/activities')
@AdminOnly()
export class GroupBuyAdminApiController {
  constructor(private readonly groupBuy: GroupBuyService) {}

  @Get()
  async list() {
    return { items: await this.groupBuy.listActivities() };
  }

  @Get(':id')
  async get(@Param('id', ParseIntPipe) id: number) {
    return { ...(await this.groupBuy.activity(id)), teamList: await this.groupBuy.teamsOfActivity(id) };
  }

  @Post()
  create(@Body() body: ActivityBody) {
    return this.groupBuy.createActivity(toInput(body));
  }

  @Put(':id')
  update(@Param('id', ParseIntPipe) id: number, @Body() body: ActivityBody) {
    return this.groupBuy.updateActivity(id, toInput(body));
  }

  @Post(':id/activate')
  @HttpCode(200)
  activate(@Param('id', ParseIntPipe) id: number) {
    return this.groupBuy.setActive(id, true);
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  deactivate(@Param('id', ParseIntPipe) id: number) {
    return this.groupBuy.setActive(id, false);
  }
}

// ------------------------------------------------------------------ HTTP: pages

@Controller('group-buy')
export class GroupBuyPagesController {
  constructor(
    private readonly groupBuy: GroupBuyService, private readonly pages: PluginPages, private readonly session: MemberSession,
    @InjectDataSource() private readonly ds: DataSource, private readonly i18n: GroupBuyI18n,
  ) {}

  @Get()
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const settings = await this.groupBuy.settings.get();
    // the default title (拼团) follows the page language; a title the merchant wrote is shown as written
    const title = settings.listTitle === this.i18n.t('zh-CN', 'title.list') ? this.i18n.t(this.i18n.pageLocale(req), 'title.list') : settings.listTitle;
    await this.pages.render(req, reply, 'group-buy', 'activities', { title, activities: await this.groupBuy.runningActivities() });
  }

  @Get('activities/:id')
  async activity(@Param('id', ParseIntPipe) id: number, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const activity = await this.groupBuy.activity(id);
    const member = await this.session.current(req);
    const now = Date.now();
    const running = activity.isActive && activity.startsAt.getTime() <= now && activity.endsAt.getTime() > now;
    await this.pages.render(req, reply, 'group-buy', 'team', {
      title: activity.name, mode: 'open', activity, running, team: null, openTeams: await this.groupBuy.openTeams(id, 10),
      variants: await this.variants(activity.items, true), signedIn: !!member, addressId: member ? await this.addressId(member.id) : null, next: `/group-buy/activities/${id}`,
    });
  }

  @Get('teams/:id')
  async team(@Param('id', ParseIntPipe) id: number, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const team = await this.groupBuy.team(id);
    const member = await this.session.current(req);
    const mine = member ? await this.groupBuy.seatOf(id, member.id) : null;
    const joinable = team.status === 'open' && team.seatsLeft > 0 && !!team.expiresAt && team.expiresAt.getTime() > Date.now() && !mine;
    await this.pages.render(req, reply, 'group-buy', 'team', {
      title: team.activity.name, mode: 'join', activity: team.activity, team, joinable, mine: mine ? { status: mine.status } : null,
      variants: await this.variants(team.activity.items, false), signedIn: !!member, addressId: member ? await this.addressId(member.id) : null, next: `/group-buy/teams/${id}`,
      shareTitle: this.i18n.t(this.i18n.pageLocale(req), 'team.shareTitle', {
        n: team.teamSize - team.paidCount, name: team.activity.name, price: (Math.min(...team.activity.items.map((i) => i.groupPrice)) / 100).toFixed(2),
      }),
    });
  }

  private async variants(items: Array<{ variantId: number; groupPrice: number; leaderPrice: number | null; stockLeft: number }>, leader: boolean) {
    const vs = await Promise.all(items.map((i) => this.ds.getRepository(ProductVariant).findOneBy({ id: i.variantId })));
    return items.map((i, n) => ({ variantId: i.variantId, spec: vs[n] ? specText(vs[n]!.specValues) : '', price: vs[n]?.price ?? 0, groupPrice: leader && i.leaderPrice !== null ? i.leaderPrice : i.groupPrice, stockLeft: i.stockLeft }));
  }

  private async addressId(memberId: number): Promise<number | null> {
    const list = await this.ds.getRepository(Address).find({ where: { memberId }, order: { isDefault: 'DESC', id: 'DESC' }, take: 1 });
    return list[0]?.id ?? null;
  }
}

@Controller('admin/group-buy')
@AdminOnly()
export class GroupBuyAdminPagesController {
  constructor(private readonly groupBuy: GroupBuyService, private readonly i18n: GroupBuyI18n) {}

  @Get()
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.i18n.renderAdmin(req, reply, 'admin-activities', 'title.admin', { activities: await this.groupBuy.listActivities(), editing: null });
  }

  @Get(':id')
  async edit(@Param('id', ParseIntPipe) id: number, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const editing = await this.groupBuy.activity(id);
    await this.i18n.renderAdmin(req, reply, 'admin-activities', 'title.adminEdit', {
      activities: [], editing, editingJson: JSON.stringify({ ...editing, startsAt: editing.startsAt.toISOString(), endsAt: editing.endsAt.toISOString() }),
      teams: await this.groupBuy.teamsOfActivity(id),
    }, { name: editing.name });
  }
}

@Module({
  imports: [OrderModule, PaymentModule, ThemeModule],
  controllers: [GroupBuyController, GroupBuyAdminApiController, GroupBuyPagesController, GroupBuyAdminPagesController],
  providers: [
    GroupBuyService, GroupBuyI18n, GroupBuyAdjuster, AttachSeatHook, SeatPaidHook, SeatClosedHook, SeatRefundedHook, RefundLostSeatSubscriber, NotifyMembersSubscriber,
    ShipAfterFormedHook, TeamTimeoutJob, ProductPriceLoader, ProductTeamsLoader,
  ],
  exports: [GroupBuyService],
})
export class GroupBuyModule {}
