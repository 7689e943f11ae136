import { Body, Controller, Get, HttpCode, Injectable, Module, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminOnly, CurrentMember, MemberGuard, MemberSession, NotFoundError, PluginAdminPages, PluginPages, type ScheduledJob, type SlotContext, type SlotDataLoader } from '../../core/plugin/index.js';
import type { Member } from '../../core/customer/entities/member.entity.js';
import { OrderModule } from '../../core/order/order.module.js';
import { PaymentModule } from '../../core/payment/payment.module.js';
import { ThemeModule } from '../../core/theme/theme.module.js';
import { ThemeService } from '../../core/theme/theme.service.js';
import { AfterSalesService } from './after-sales.service.js';
import { PHOTO_PATTERN, REASONS, TYPES } from './after-sales.rules.js';
import { ALL_STATUSES, type AfterSalesStatus, type AfterSalesType } from './entities/after-sales-request.entity.js';

const ORDER_NO = /^[A-Za-z0-9]{1,32}$/;
const REQUEST_NO = /^AS\d{10,30}$/;

// ------------------------------------------------------------------ input

export class RequestItemInput {
  @ApiProperty({ description: 'order line id' }) @IsInt() @Min(1)
  lineId: number;

  @ApiPropertyOptional({ description: 'fen asked back; default: all the line has left to refund' }) @IsOptional() @IsInt() @Min(1) @Max(1_000_000_000)
  amount?: number;

  @ApiPropertyOptional({ description: 'pieces to return (return_and_refund); default: the whole line' }) @IsOptional() @IsInt() @Min(1) @Max(9999)
  quantity?: number;
}

export class CreateRequestInput {
  @ApiProperty({ example: '20261123143015012345' }) @IsString() @Matches(ORDER_NO, { message: 'orderNo must be an order number' })
  orderNo: string;

  @ApiProperty({ enum: TYPES }) @IsIn(TYPES as string[])
  type: AfterSalesType;

  @ApiProperty({ enum: REASONS }) @IsIn(REASONS as readonly string[] as string[], { message: `reasonCode must be one of ${REASONS.join(', ')}` })
  reasonCode: string;

  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @MaxLength(500)
  reasonText?: string;

  @ApiPropertyOptional({ type: [String], description: 'up to 9 photo links: https URLs or paths on this site (/media/…)' })
  @IsOptional() @IsArray() @ArrayMaxSize(9) @IsString({ each: true }) @MaxLength(255, { each: true }) @Matches(PHOTO_PATTERN, { each: true, message: 'each photo must be an https URL or a path on this site' })
  photos?: string[];

  @ApiPropertyOptional({ type: [RequestItemInput], description: 'lines asked back; default: every line with something left to refund' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => RequestItemInput)
  items?: RequestItemInput[];
}

export class ShipReturnInput {
  @ApiProperty({ example: '顺丰速运' }) @IsString() @Length(1, 32)
  carrier: string;

  @ApiProperty({ example: 'SF1234567890' }) @IsString() @Matches(/^[A-Za-z0-9-]{4,64}$/, { message: 'trackingNo must be 4-64 letters, digits or -' })
  trackingNo: string;
}

export class RejectInput {
  @ApiProperty({ example: '商品已使用，不支持退货' }) @IsString() @Length(1, 200)
  reason: string;
}

export class MineQuery {
  @ApiPropertyOptional({ enum: ALL_STATUSES }) @IsOptional() @IsIn(ALL_STATUSES as string[])
  status?: AfterSalesStatus;
}

export class EligibilityQuery {
  @ApiProperty() @IsString() @Matches(ORDER_NO, { message: 'orderNo must be an order number' })
  orderNo: string;
}

/** The apply page: the order, plus the storefront's ?lang= switch. */
export class ApplyPageQuery extends EligibilityQuery {
  @IsOptional() @IsIn(['zh-CN', 'en'])
  lang?: string;
}

export class AdminListQuery {
  @ApiPropertyOptional({ enum: ALL_STATUSES }) @IsOptional() @IsIn(['', ...ALL_STATUSES])
  status?: AfterSalesStatus | '';

  @ApiPropertyOptional({ enum: TYPES }) @IsOptional() @IsIn(['', ...TYPES])
  type?: AfterSalesType | '';

  @ApiPropertyOptional({ description: 'order or request number (part)' }) @IsOptional() @IsString() @Matches(/^[A-Za-z0-9]{0,32}$/, { message: 'q must be an order or request number' })
  q?: string;

  @ApiPropertyOptional({ description: '"1": only open requests' }) @IsOptional() @IsIn(['', '0', '1'])
  open?: string;

  @ApiPropertyOptional() @IsOptional() @Matches(/^[1-9]\d{0,4}$/, { message: 'page must be a positive whole number' })
  page?: string;
}

function requestNo(no: string): string {
  if (!REQUEST_NO.test(no)) throw new NotFoundError('after_sales_request', no.slice(0, 40));
  return no;
}

function adminActor(req: FastifyRequest): string {
  const id = (req as FastifyRequest & { adminUser?: { id: number } | null }).adminUser?.id;
  return `admin:${id ?? '?'}`;
}

// ------------------------------------------------------------------ buyer API

@ApiTags('after-sales')
@Controller('api/v1/after-sales')
@UseGuards(MemberGuard)
export class AfterSalesApiController {
  constructor(private readonly service: AfterSalesService) {}

  /** Reasons, types and, with orderNo, what each line of that order can still get back. */
  @Get('eligibility')
  async eligibility(@CurrentMember() m: Member, @Query() q: EligibilityQuery) {
    const { order, lines, canApply, canReturn } = await this.service.eligibility(m.id, q.orderNo);
    return { orderNo: order.orderNo, orderStatus: order.status, canApply, canReturn, reasons: REASONS, types: TYPES, lines };
  }

  @Post()
  create(@CurrentMember() m: Member, @Body() body: CreateRequestInput) {
    return this.service.create(m.id, body);
  }

  @Get()
  async mine(@CurrentMember() m: Member, @Query() q: MineQuery) {
    return { items: await this.service.mine(m.id, { status: q.status }) };
  }

  @Get(':no')
  one(@CurrentMember() m: Member, @Param('no') no: string) {
    return this.service.forMember(m.id, requestNo(no));
  }

  @Post(':no/cancel')
  @HttpCode(200)
  cancel(@CurrentMember() m: Member, @Param('no') no: string) {
    return this.service.cancel(m.id, requestNo(no));
  }

  @Post(':no/return-shipment')
  @HttpCode(200)
  ship(@CurrentMember() m: Member, @Param('no') no: string, @Body() body: ShipReturnInput) {
    return this.service.shipReturn(m.id, requestNo(no), body.carrier.trim(), body.trackingNo);
  }
}

// ------------------------------------------------------------------ admin API

@ApiTags('after-sales (admin)')
@Controller('api/v1/admin/after-sales')
@AdminOnly()
export class AfterSalesAdminApiController {
  constructor(private readonly service: AfterSalesService) {}

  @Get()
  list(@Query() q: AdminListQuery) {
    return this.service.list({ status: q.status || undefined, type: q.type || undefined, orderNo: q.q || undefined, open: q.open === '1' }, Number(q.page ?? 1));
  }

  @Get(':no')
  one(@Param('no') no: string) {
    return this.service.detail(requestNo(no));
  }

  @Post(':no/approve')
  @HttpCode(200)
  approve(@Req() req: FastifyRequest, @Param('no') no: string) {
    return this.service.approve(requestNo(no), adminActor(req));
  }

  @Post(':no/reject')
  @HttpCode(200)
  reject(@Req() req: FastifyRequest, @Param('no') no: string, @Body() body: RejectInput) {
    return this.service.reject(requestNo(no), adminActor(req), body.reason.trim());
  }

  /** For returns: the goods came back; stock returns and the refund is made. */
  @Post(':no/receive')
  @HttpCode(200)
  receive(@Req() req: FastifyRequest, @Param('no') no: string) {
    return this.service.receive(requestNo(no), adminActor(req));
  }
}

// ------------------------------------------------------------------ storefront pages

const PAGE_TITLES: Record<string, Record<'list' | 'apply' | 'detail', string>> = {
  'zh-CN': { list: '我的售后', apply: '申请售后', detail: '售后详情' },
  en: { list: 'My after-sales', apply: 'After-sales request', detail: 'After-sales request' },
};

@Controller('after-sales')
export class AfterSalesPagesController {
  constructor(private readonly service: AfterSalesService, private readonly pages: PluginPages, private readonly session: MemberSession, private readonly theme: ThemeService) {}

  private title(req: FastifyRequest, page: 'list' | 'apply' | 'detail'): string {
    return (PAGE_TITLES[this.theme.locale(req)] ?? PAGE_TITLES['zh-CN'])[page];
  }

  @Get()
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const member = await this.session.current(req);
    if (!member) return this.toSignIn(req, reply);
    await this.pages.render(req, reply, 'after-sales', 'list', { title: this.title(req, 'list'), requests: await this.service.mine(member.id) });
  }

  @Get('apply')
  async apply(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() q: ApplyPageQuery) {
    const member = await this.session.current(req);
    if (!member) return this.toSignIn(req, reply);
    const e = await this.service.eligibility(member.id, q.orderNo);
    await this.pages.render(req, reply, 'after-sales', 'apply', { title: this.title(req, 'apply'), orderNo: e.order.orderNo, orderStatus: e.order.status, lines: e.lines, canApply: e.canApply, canReturn: e.canReturn, reasons: REASONS });
  }

  @Get(':no')
  async detail(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('no') no: string) {
    const member = await this.session.current(req);
    if (!member) return this.toSignIn(req, reply);
    await this.pages.render(req, reply, 'after-sales', 'detail', { title: this.title(req, 'detail'), request: await this.service.forMember(member.id, requestNo(no)) });
  }

  private toSignIn(req: FastifyRequest, reply: FastifyReply): void {
    void reply.redirect(`/sign-in?next=${encodeURIComponent(req.url)}`, 302);
  }
}

// ------------------------------------------------------------------ admin pages

@Controller('admin/after-sales')
@AdminOnly()
export class AfterSalesAdminPagesController {
  constructor(private readonly service: AfterSalesService, private readonly pages: PluginAdminPages) {}

  @Get()
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() q: AdminListQuery) {
    const page = Number(q.page ?? 1);
    const result = await this.service.list({ status: q.status || undefined, type: q.type || undefined, orderNo: q.q || undefined, open: q.open === '1' }, page);
    const statuses = ALL_STATUSES.map((s) => ({ value: s, count: result.counts[s] ?? 0, selected: s === q.status }));
    await this.pages.render(req, reply, 'after-sales', 'admin-list', {
      title: '售后 After-sales', result, statuses, filter: { status: q.status ?? '', type: q.type ?? '', q: q.q ?? '', open: q.open === '1' },
      prev: page > 1 ? page - 1 : null, next: page * result.pageSize < result.total ? page + 1 : null,
    });
  }

  @Get(':no')
  async detail(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('no') no: string) {
    const request = await this.service.detail(requestNo(no));
    await this.pages.render(req, reply, 'after-sales', 'admin-detail', { title: `售后 ${request.requestNo}`, request });
  }
}

// ------------------------------------------------------------------ job and slot

/** Timeouts: unanswered requests are approved or escalated (setting); unshipped returns close; refunds sync. */
@Injectable()
export class AfterSalesTimeoutJob implements ScheduledJob {
  readonly name = 'after-sales:timeouts';
  readonly everySeconds = 300;
  constructor(private readonly service: AfterSalesService) {}
  async run(): Promise<void> {
    await this.service.runTimeouts();
  }
}

/** order.detail: 申请售后 for a paid order with something left to refund, and the order's requests. */
@Injectable()
export class OrderDetailLoader implements SlotDataLoader {
  constructor(private readonly service: AfterSalesService) {}
  async load(ctx: SlotContext) {
    const order = ctx.data.order as { orderNo?: string } | undefined;
    if (ctx.page !== 'order' || !ctx.memberId || !order?.orderNo) return null;
    const e = await this.service.eligibility(ctx.memberId, order.orderNo).catch(() => null);
    if (!e) return null;
    const requests = await this.service.mine(ctx.memberId, { orderNo: order.orderNo });
    if (!e.canApply && !requests.length) return null;
    return { orderNo: order.orderNo, canApply: e.canApply, requests };
  }
}

@Module({
  imports: [OrderModule, PaymentModule, ThemeModule],
  controllers: [AfterSalesApiController, AfterSalesAdminApiController, AfterSalesPagesController, AfterSalesAdminPagesController],
  providers: [AfterSalesService, AfterSalesTimeoutJob, OrderDetailLoader],
  exports: [AfterSalesService],
})
export class AfterSalesModule {}
