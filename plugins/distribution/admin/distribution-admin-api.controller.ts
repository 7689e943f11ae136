import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BadInputError } from '../../../core/common/errors.js';
import { AdminOnly } from '../../../core/plugin/index.js';
import { IdPipe } from '../../../core/admin/id.pipe.js';
import { DistributionAdminQueries, TEAM_TREE_DEPTH } from '../services/admin-queries.service.js';
import { DistributorService } from '../services/distributor.service.js';
import { WithdrawalService } from '../services/withdrawal.service.js';
import { parseDayRange } from './admin-forms.js';
import { DistributionAdminService } from './distribution-admin.service.js';
import {
  AdminPageQuery, ApproveWithdrawalInput, DistributorListQuery, LedgerQuery, LevelInput, MarkPaidInput, PartnerPricesInput, ProductListQuery, ProductRatesInput, ReasonInput, SetLevelInput, WithdrawalListQuery,
} from './dto.js';
import { WithdrawalNoPipe } from './pipes.js';

const CSRF_HEADER = { name: 'x-csrf-token', required: false, description: 'Required on POST/PUT: the csrfToken returned by POST /api/v1/admin/session' };

/**
 * The distribution back office as JSON (amounts in fen, rates in basis points or fen). AdminOnly(): 401 without an admin session, 403 csrf_failed for a write without x-csrf-token.
 */
@ApiTags('distribution (admin)')
@ApiHeader(CSRF_HEADER)
@Controller('api/v1/admin/distribution')
@AdminOnly()
export class DistributionAdminApiController {
  constructor(
    private readonly queries: DistributionAdminQueries,
    private readonly admin: DistributionAdminService,
    private readonly distributors: DistributorService,
    private readonly withdrawals: WithdrawalService,
  ) {}

  @Get('summary')
  @ApiOperation({ summary: 'Counts for badges: distributors and withdrawals by status' })
  async summary() {
    return { distributors: await this.queries.countByStatus(), withdrawals: await this.queries.withdrawalCounts(), channels: this.withdrawals.channels() };
  }

  // ------------------------------------------------------------------ distributors

  @Get('distributors')
  @ApiOperation({ summary: 'Distributors, pending applications first; search shop name, code, nickname or member id' })
  distributorList(@Query() q: DistributorListQuery) {
    return this.queries.distributors({ q: q.q, status: q.status, levelId: q.levelId }, q.page ?? 1, q.pageSize ?? 20);
  }

  @Get('distributors/:memberId')
  @ApiOperation({ summary: 'A distributor with balances, upline chain (L1-L3), team counts, recent commissions and withdrawals' })
  async distributor(@Param('memberId', IdPipe) memberId: number) {
    const d = await this.queries.distributor(memberId);
    const [uplines, team, commissions, withdrawals] = await Promise.all([this.queries.uplines(memberId), this.queries.teamCounts(memberId), this.queries.recentCommissions(memberId, 10), this.queries.withdrawals({ memberId }, 1, 10)]);
    return { ...d, uplines: uplines.rows, boundAt: uplines.boundAt, bindingSource: uplines.source, team, recentCommissions: commissions, recentWithdrawals: withdrawals.items };
  }

  @Get('distributors/:memberId/team')
  @ApiOperation({ summary: `One level of the team tree: the members directly under memberId, each with their own direct team size (childCount). The admin tree opens ${TEAM_TREE_DEPTH} levels.` })
  async team(@Param('memberId', IdPipe) memberId: number, @Query() q: AdminPageQuery) {
    await this.queries.distributor(memberId);
    return this.queries.teamChildren(memberId, q.page ?? 1, q.pageSize ?? 50);
  }

  @Post('distributors/:memberId/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a pending application (409 otherwise)' })
  async approve(@Param('memberId', IdPipe) memberId: number) {
    await this.admin.approve(memberId);
    return this.queries.distributor(memberId);
  }

  @Post('distributors/:memberId/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a pending application with a reason (409 otherwise)' })
  async reject(@Param('memberId', IdPipe) memberId: number, @Body() body: ReasonInput) {
    await this.admin.reject(memberId, body.reason);
    return this.queries.distributor(memberId);
  }

  @Post('distributors/:memberId/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable an active distributor: they stop earning (409 unless active)' })
  async disable(@Param('memberId', IdPipe) memberId: number) {
    await this.admin.disable(memberId);
    return this.queries.distributor(memberId);
  }

  @Post('distributors/:memberId/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled distributor again (409 unless disabled)' })
  async enable(@Param('memberId', IdPipe) memberId: number) {
    await this.admin.enable(memberId);
    return this.queries.distributor(memberId);
  }

  @Put('distributors/:memberId/level')
  @ApiOperation({ summary: 'Set a distributor\'s level (404 for an unknown level)' })
  async setLevel(@Param('memberId', IdPipe) memberId: number, @Body() body: SetLevelInput) {
    await this.admin.setLevel(memberId, body.levelId);
    return this.queries.distributor(memberId);
  }

  // ------------------------------------------------------------------ withdrawals

  @Get('withdrawals')
  @ApiOperation({ summary: 'Withdrawals: pending first, then approved (to pay), then the rest; with the distributor\'s balances' })
  withdrawalList(@Query() q: WithdrawalListQuery) {
    return this.queries.withdrawals({ status: q.status, memberId: q.memberId }, q.page ?? 1, q.pageSize ?? 20);
  }

  @Post('withdrawals/:withdrawalNo/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve: "offline" waits for mark-paid; a payout provider transfers at once (400 unknown channel, 409 not pending)' })
  approveWithdrawal(@Param('withdrawalNo', WithdrawalNoPipe) no: string, @Body() body: ApproveWithdrawalInput) {
    return this.admin.approveWithdrawal(no, body.channel ?? 'offline');
  }

  @Post('withdrawals/:withdrawalNo/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject with a reason: the amount returns to the available balance (409 unless pending or approved)' })
  rejectWithdrawal(@Param('withdrawalNo', WithdrawalNoPipe) no: string, @Body() body: ReasonInput) {
    return this.admin.rejectWithdrawal(no, body.reason);
  }

  @Post('withdrawals/:withdrawalNo/paid')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark an approved offline withdrawal paid (409 otherwise)' })
  markPaid(@Param('withdrawalNo', WithdrawalNoPipe) no: string, @Body() body: MarkPaidInput) {
    return this.admin.markWithdrawalPaid(no, body.providerRef ?? null);
  }

  // ------------------------------------------------------------------ ledger

  @Get('ledger')
  @ApiOperation({ summary: 'Ledger entries, newest first, with per-bucket totals of the filter; CSV: GET /admin/distribution/ledger.csv with the same filters' })
  async ledger(@Query() q: LedgerQuery) {
    const range = parseDayRange(q.from, q.to);
    if (range.error) throw new BadInputError(range.error.field, range.error.message);
    if (q.memberId && !(await this.distributors.byMember(q.memberId))) throw new BadInputError('memberId', `member ${q.memberId} is not a distributor`);
    return this.queries.ledger({ memberId: q.memberId, kind: q.kind, from: range.from, to: range.to }, q.page ?? 1, q.pageSize ?? 50);
  }

  // ------------------------------------------------------------------ levels

  @Get('levels')
  @ApiOperation({ summary: 'Levels by rank with how many distributors each has' })
  async levels() {
    return { items: await this.queries.levels() };
  }

  @Post('levels')
  @ApiOperation({ summary: 'Create a level (1-3 rates; name and rank unique; isDefault moves the default here)' })
  createLevel(@Body() body: LevelInput) {
    return this.admin.createLevel({ name: body.name, rank: body.rank, rates: body.rates, upgradeTeamSize: body.upgradeTeamSize ?? null, upgradeSales: body.upgradeSales ?? null, isDefault: body.isDefault ?? false });
  }

  @Put('levels/:id')
  @ApiOperation({ summary: 'Replace a level (409 when un-defaulting the default level)' })
  async updateLevel(@Param('id', IdPipe) id: number, @Body() body: LevelInput) {
    const current = await this.queries.level(id);
    return this.admin.updateLevel(id, { name: body.name, rank: body.rank, rates: body.rates, upgradeTeamSize: body.upgradeTeamSize ?? null, upgradeSales: body.upgradeSales ?? null, isDefault: body.isDefault ?? current.isDefault });
  }

  // ------------------------------------------------------------------ products

  @Get('products')
  @ApiOperation({ summary: 'Products with their number of rate overrides and partner prices' })
  products(@Query() q: ProductListQuery) {
    return this.queries.products(q.q ?? '', q.page ?? 1, q.pageSize ?? 20);
  }

  @Get('products/:id')
  @ApiOperation({ summary: 'A product\'s override rates (by level) and its variants with partner prices' })
  product(@Param('id', IdPipe) id: number) {
    return this.queries.productDistribution(id);
  }

  @Put('products/:id/rates')
  @ApiOperation({ summary: 'Replace the product\'s override rates' })
  async saveRates(@Param('id', IdPipe) id: number, @Body() body: ProductRatesInput) {
    await this.admin.saveProductRates(id, body.overrides.map((o) => ({ levelId: o.levelId, rates: o.rates })));
    return this.queries.productDistribution(id);
  }

  @Put('products/:id/partner-prices')
  @ApiOperation({ summary: 'Set (or with null remove) partner prices of the product\'s variants; each must be lower than the variant price (400 partner_price_not_lower)' })
  async savePartnerPrices(@Param('id', IdPipe) id: number, @Body() body: PartnerPricesInput) {
    await this.admin.savePartnerPrices(id, body.prices.map((p) => ({ variantId: p.variantId, price: p.price })));
    return this.queries.productDistribution(id);
  }
}
