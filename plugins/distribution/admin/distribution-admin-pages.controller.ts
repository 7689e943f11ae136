import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { BadInputError, DomainError, NotFoundError } from '../../../core/common/errors.js';
import { AdminOnly } from '../../../core/plugin/index.js';
import { safeAdminNext } from '../../../core/admin/admin-session.js';
import { domainErrorToFields } from '../../../core/admin/admin-forms.js';
import { IdPipe } from '../../../core/admin/id.pipe.js';
import type { DistributorStatus } from '../entities/distributor.entity.js';
import type { WithdrawalStatus } from '../entities/withdrawal.entity.js';
import { DISTRIBUTOR_STATUSES, DistributionAdminQueries, LEDGER_EXPORT_MAX_ROWS, LEDGER_KINDS, type LedgerFilter, TEAM_TREE_DEPTH, WITHDRAWAL_STATUSES } from '../services/admin-queries.service.js';
import { DistributorService } from '../services/distributor.service.js';
import { DistributionSettingsSource } from '../services/settings.provider.js';
import { WithdrawalService } from '../services/withdrawal.service.js';
import { DistributionAdminService } from './distribution-admin.service.js';
import { DIST_ASSETS, DistributionAdminViews, type DistRenderOptions } from './admin-views.js';
import {
  field, type FieldErrors, type FormBody, levelFormValues, type LevelFormValues, parseDayRange, parseLevelForm, parseOverridesForm, parsePartnerPricesForm,
  rateFormRows, remapOverrideField, type OverrideFormRow, type PartnerPriceFormRow, type Translate,
} from './admin-forms.js';
import { LEDGER_CSV_HEADER, csvLine, ledgerCsvLine, UTF8_BOM } from './csv.js';
import { WithdrawalNoPipe } from './pipes.js';

const PAGE_SIZE = 20;
const LEDGER_PAGE_SIZE = 50;
const TEAM_PAGE_SIZE = 50;

function pageOf(raw: string | undefined): number {
  return /^\d{1,4}$/.test(raw ?? '') && Number(raw) > 0 ? Number(raw) : 1;
}

/** A query parameter as one string ("" when absent; the last value when repeated). */
function param(query: Record<string, unknown> | undefined, name: string): string {
  return field(query as FormBody | undefined, name);
}

function ledgerForm(query: Record<string, unknown>): { distributor: string; kind: string; from: string; to: string } {
  return { distributor: (param(query, 'distributor') || param(query, 'memberId')).trim().slice(0, 16), kind: param(query, 'kind').trim(), from: param(query, 'from').trim().slice(0, 10), to: param(query, 'to').trim().slice(0, 10) };
}

function queryString(params: Record<string, string | number | undefined | null>): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  const out = s.toString();
  return out ? `?${out}` : '';
}

/** Where to go after a POST: the page the form came from (same-site /admin paths only), with ?ok=… */
function backTo(body: FormBody | undefined, fallback: string, ok: string): string {
  const raw = field(body, 'back');
  const url = new URL(raw ? safeAdminNext(raw) : fallback, 'http://admin.local');
  url.searchParams.set('ok', ok);
  return `${url.pathname}${url.search}`;
}

/** Labelled error list for the error summary partial. */
function errorList(errors: FieldErrors, t: Translate) {
  return Object.entries(errors).filter(([name]) => name !== '_form').map(([name, message]) => {
    const label = fieldLabel(name, t);
    return { field: name, anchor: name, label, message };
  });
}

function fieldLabel(name: string, t: Translate): string {
  const rate = /^(?:overrides\.\d+\.)?rates\.(\d)\.(\w+)$/.exec(name);
  if (rate) return t('dist.level.rateRow', { n: Number(rate[1]) + 1 });
  if (/^prices\.\d+\.price$/.test(name)) return t('dist.products.partnerPrice');
  const key = `dist.fields.${name}`;
  const label = t(key);
  return label === key ? name : label;
}

/**
 * The distribution back office (HTML): distributors and applications, a distributor's detail with
 * balances, uplines and team tree, withdrawals, the ledger and its CSV export, levels, and per-product
 * rates and partner prices. AdminOnly(): core's admin guard (sign-in; CSRF token on every POST) and error pages.
 */
@ApiExcludeController()
@Controller('admin/distribution')
@AdminOnly()
export class DistributionAdminPagesController {
  constructor(
    private readonly views: DistributionAdminViews,
    private readonly queries: DistributionAdminQueries,
    private readonly admin: DistributionAdminService,
    private readonly distributors: DistributorService,
    private readonly withdrawals: WithdrawalService,
    private readonly settings: DistributionSettingsSource,
  ) {}

  private async page(req: FastifyRequest, reply: FastifyReply, view: string, data: Record<string, unknown>, opts: DistRenderOptions = {}): Promise<void> {
    const [d, w] = await Promise.all([this.queries.countByStatus(), this.queries.withdrawalCounts()]);
    const errors = (data.errors ?? {}) as FieldErrors;
    const firstField = Object.keys(errors)[0];
    if (firstField) {
      // machine-readable hints for scripts and tests; the page itself names the field for people
      void reply.header('x-error-field', firstField);
    }
    const nav = { distributors: '/admin/distribution/distributors', products: '/admin/distribution/distributors', withdrawals: '/admin/distribution/withdrawals', ledger: '/admin/distribution/ledger', levels: '/admin/distribution/levels' }[opts.tab ?? ''];
    this.views.render(req, reply, view, { ...data, distNav: { pendingDistributors: d.pending, pendingWithdrawals: w.pending, approvedWithdrawals: w.approved }, settingsUrl: '/admin/plugins/distribution' }, { nav, ...opts });
  }

  private t(req: FastifyRequest): Translate {
    return this.views.translator(req);
  }

  @Get()
  index(@Res() reply: FastifyReply) {
    void reply.redirect('/admin/distribution/distributors', 302);
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Query('v') v: unknown, @Res() reply: FastifyReply) {
    const file = this.views.assetFile(name);
    if (!file) throw new NotFoundError('asset', name);
    void reply.header('content-type', DIST_ASSETS[name]).header('cache-control', v ? 'private, max-age=31536000, immutable' : 'no-cache').send(createReadStream(file));
  }

  // ------------------------------------------------------------------ distributors

  @Get('distributors')
  async distributorList(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, unknown>) {
    const status = (DISTRIBUTOR_STATUSES as string[]).includes(param(query, 'status')) ? (param(query, 'status') as DistributorStatus) : undefined;
    const q = param(query, 'q').trim().slice(0, 40);
    const page = pageOf(param(query, 'page'));
    const result = await this.queries.distributors({ q, status }, page, PAGE_SIZE);
    const counts = await this.queries.countByStatus();
    const levels = await this.queries.levels();
    const back = `/admin/distribution/distributors${queryString({ status, q, page: page > 1 ? page : undefined })}`;
    const tabs = [undefined, ...DISTRIBUTOR_STATUSES].map((key) => ({
      key: key ?? '', label: key ? `dist.status.${key}` : 'common.all', count: key === 'pending' ? counts.pending : 0,
      url: `/admin/distribution/distributors${queryString({ status: key, q })}`,
    }));
    await this.page(req, reply, 'distributors', {
      result, status: status ?? '', q, tabs, back, levels, enrolment: this.settings.current().enrolment,
      baseUrl: `/admin/distribution/distributors${queryString({ status, q })}`, resetUrl: `/admin/distribution/distributors${queryString({ status })}`,
    }, { tab: 'distributors', title: 'dist.nav.distributors' });
  }

  @Get('distributors/:memberId')
  async distributorDetail(@Param('memberId', IdPipe) memberId: number, @Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, unknown>) {
    await this.detailPage(req, reply, memberId, {}, 200, pageOf(param(query, 'page')));
  }

  @Post('distributors/:memberId/approve')
  async approve(@Param('memberId', IdPipe) memberId: number, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.distributorAction(req, reply, memberId, body, () => this.admin.approve(memberId), 'approved');
  }

  @Post('distributors/:memberId/reject')
  async reject(@Param('memberId', IdPipe) memberId: number, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.distributorAction(req, reply, memberId, body, () => this.admin.reject(memberId, field(body, 'reason')), 'rejected');
  }

  @Post('distributors/:memberId/disable')
  async disable(@Param('memberId', IdPipe) memberId: number, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.distributorAction(req, reply, memberId, body, () => this.admin.disable(memberId), 'disabled');
  }

  @Post('distributors/:memberId/enable')
  async enable(@Param('memberId', IdPipe) memberId: number, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.distributorAction(req, reply, memberId, body, () => this.admin.enable(memberId), 'enabled');
  }

  @Post('distributors/:memberId/level')
  async setLevel(@Param('memberId', IdPipe) memberId: number, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const raw = field(body, 'levelId').trim();
    await this.distributorAction(req, reply, memberId, body, async () => {
      if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw new BadInputError('levelId', this.t(req)('dist.errors.chooseLevel'));
      await this.admin.setLevel(memberId, Number(raw));
    }, 'level_changed');
  }

  private async distributorAction(req: FastifyRequest, reply: FastifyReply, memberId: number, body: FormBody, run: () => Promise<unknown>, ok: string): Promise<void> {
    try {
      await run();
    } catch (err) {
      // an unknown distributor is a plain 404 page; anything else re-renders the detail page with the problem named
      if (!(err instanceof DomainError) || (err.status === 404 && !err.field)) throw err;
      void reply.header('x-error-code', err.code);
      return this.detailPage(req, reply, memberId, { errors: domainErrorToFields(err), reason: field(body, 'reason') }, err.status);
    }
    void reply.redirect(backTo(body, `/admin/distribution/distributors/${memberId}`, ok), 303);
  }

  private async detailPage(req: FastifyRequest, reply: FastifyReply, memberId: number, extra: { errors?: FieldErrors; reason?: string }, status = 200, teamPage = 1): Promise<void> {
    const d = await this.queries.distributor(memberId);
    const [uplines, counts, team, commissions, ledger, withdrawals, levels] = await Promise.all([
      this.queries.uplines(memberId), this.queries.teamCounts(memberId), this.queries.teamChildren(memberId, teamPage, TEAM_PAGE_SIZE),
      this.queries.recentCommissions(memberId, 10), this.queries.ledger({ memberId }, 1, 10), this.queries.withdrawals({ memberId }, 1, 5), this.queries.levels(),
    ]);
    const errors = extra.errors ?? {};
    const t = this.t(req);
    const statusLabels = JSON.stringify(Object.fromEntries(DISTRIBUTOR_STATUSES.map((st) => [st, t(`dist.status.${st}`)])));
    await this.page(req, reply, 'distributor', {
      statusLabels,
      d, uplines, counts, team, commissions, ledger, withdrawals, levels, errors, errorList: errorList(errors, this.t(req)), reason: extra.reason ?? '',
      treeDepth: TEAM_TREE_DEPTH, mode: this.settings.current().mode, back: `/admin/distribution/distributors/${memberId}`,
      teamBase: `/admin/distribution/distributors/${memberId}`,
    }, { tab: 'distributors', title: 'dist.detail.title', status });
  }

  // ------------------------------------------------------------------ withdrawals

  @Get('withdrawals')
  async withdrawalList(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, unknown>) {
    await this.withdrawalsPage(req, reply, query, {});
  }

  @Post('withdrawals/:withdrawalNo/approve')
  async approveWithdrawal(@Param('withdrawalNo', WithdrawalNoPipe) no: string, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.withdrawalAction(req, reply, no, body, () => this.admin.approveWithdrawal(no, field(body, 'channel') || 'offline'), 'withdrawal_approved');
  }

  @Post('withdrawals/:withdrawalNo/reject')
  async rejectWithdrawal(@Param('withdrawalNo', WithdrawalNoPipe) no: string, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.withdrawalAction(req, reply, no, body, () => this.admin.rejectWithdrawal(no, field(body, 'reason')), 'withdrawal_rejected');
  }

  @Post('withdrawals/:withdrawalNo/paid')
  async markPaid(@Param('withdrawalNo', WithdrawalNoPipe) no: string, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.withdrawalAction(req, reply, no, body, () => this.admin.markWithdrawalPaid(no, field(body, 'providerRef') || null), 'withdrawal_paid');
  }

  private async withdrawalAction(req: FastifyRequest, reply: FastifyReply, no: string, body: FormBody, run: () => Promise<unknown>, ok: string): Promise<void> {
    try {
      await run();
    } catch (err) {
      if (!(err instanceof DomainError) || (err.status === 404 && !err.field)) throw err;
      void reply.header('x-error-code', err.code);
      const back = new URL(safeAdminNext(field(body, 'back') || '/admin/distribution/withdrawals'), 'http://admin.local');
      const query = Object.fromEntries(back.searchParams.entries());
      return this.withdrawalsPage(req, reply, query, { no, errors: domainErrorToFields(err), reason: field(body, 'reason'), providerRef: field(body, 'providerRef') }, err.status);
    }
    void reply.redirect(backTo(body, '/admin/distribution/withdrawals', ok), 303);
  }

  private async withdrawalsPage(req: FastifyRequest, reply: FastifyReply, query: Record<string, unknown>, failed: { no?: string; errors?: FieldErrors; reason?: string; providerRef?: string }, status = 200): Promise<void> {
    const st = (WITHDRAWAL_STATUSES as string[]).includes(param(query, 'status')) ? (param(query, 'status') as WithdrawalStatus) : undefined;
    const page = pageOf(param(query, 'page'));
    const result = await this.queries.withdrawals({ status: st }, page, PAGE_SIZE);
    const counts = await this.queries.withdrawalCounts();
    const t = this.t(req);
    const channels = this.withdrawals.channels().map((id) => ({ id, label: this.channelLabel(id, t) }));
    const back = `/admin/distribution/withdrawals${queryString({ status: st, page: page > 1 ? page : undefined })}`;
    const tabs = [undefined, ...WITHDRAWAL_STATUSES].map((key) => ({
      key: key ?? '', label: key ? `dist.wstatus.${key}` : 'dist.withdrawals.queue', count: key === 'pending' || key === 'approved' ? counts[key] : 0,
      url: `/admin/distribution/withdrawals${queryString({ status: key })}`,
    }));
    const items = result.items.map((w) => ({ ...w, channelLabel: this.channelLabel(w.channel, t), failed: failed.no === w.withdrawalNo }));
    const errors = failed.errors ?? {};
    await this.page(req, reply, 'withdrawals', {
      result: { ...result, items }, status: st ?? '', tabs, back, channels, singleChannel: channels.length === 1, errors, failedNo: failed.no ?? '',
      errorMessage: Object.values(errors)[0] ?? '', reason: failed.reason ?? '', providerRef: failed.providerRef ?? '',
      baseUrl: `/admin/distribution/withdrawals${queryString({ status: st })}`, withdraw: this.settings.current(),
    }, { tab: 'withdrawals', title: 'dist.nav.withdrawals', status });
  }

  private channelLabel(id: string, t: Translate): string {
    const key = `dist.channel.${id}`;
    const label = t(key);
    return label === key ? id : label;
  }

  // ------------------------------------------------------------------ ledger

  @Get('ledger')
  async ledgerPage(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, unknown>) {
    const t = this.t(req);
    const form = ledgerForm(query);
    const parsed = await this.ledgerFilter(form, t);
    const page = pageOf(param(query, 'page'));
    const kinds = LEDGER_KINDS.map((k) => ({ key: k, label: `dist.kind.${k}` }));
    const qs = queryString({ distributor: form.distributor, kind: form.kind, from: form.from, to: form.to });
    if (parsed.errors) {
      return this.page(req, reply, 'ledger', { form, kinds, errors: parsed.errors, errorList: errorList(parsed.errors, t), result: null, exportUrl: '', exportMax: LEDGER_EXPORT_MAX_ROWS }, { tab: 'ledger', title: 'dist.nav.ledger', status: 400 });
    }
    const result = await this.queries.ledger(parsed.filter, page, LEDGER_PAGE_SIZE);
    await this.page(req, reply, 'ledger', {
      form, kinds, errors: {}, errorList: [], result, baseUrl: `/admin/distribution/ledger${qs}`, exportUrl: `/admin/distribution/ledger.csv${qs}`,
      exportMax: LEDGER_EXPORT_MAX_ROWS, tooMany: result.total > LEDGER_EXPORT_MAX_ROWS, distributor: parsed.distributor,
    }, { tab: 'ledger', title: 'dist.nav.ledger' });
  }

  /**
   * The filtered ledger as CSV: UTF-8 with a BOM (so Excel shows Chinese), RFC 4180 quoting, CRLF,
   * amounts in yuan (2 decimals) and in fen. Streamed in batches of 1,000, newest first, at most
   * 50,000 rows (x-export-truncated: true when the filter matches more).
   */
  @Get('ledger.csv')
  async ledgerCsv(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, unknown>) {
    const t = this.t(req);
    const form = ledgerForm(query);
    const parsed = await this.ledgerFilter(form, t);
    if (parsed.errors) {
      const [name, message] = Object.entries(parsed.errors)[0];
      throw new BadInputError(name, message);
    }
    const filter = parsed.filter;
    const total = await this.queries.ledgerCount(filter);
    const kindLabel = (k: string) => (this.views.has('zh-CN', `dist.kind.${k}`) ? this.views.translate('zh-CN', `dist.kind.${k}`) : k);
    const bucketLabel = (b: string) => this.views.translate('zh-CN', `dist.bucket.${b}`);
    const queries = this.queries;
    async function* lines(): AsyncGenerator<string> {
      yield UTF8_BOM + csvLine(LEDGER_CSV_HEADER);
      for await (const batch of queries.ledgerBatches(filter)) yield batch.map((r) => ledgerCsvLine(r, kindLabel, bucketLabel)).join('');
    }
    const stamp = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="distribution-ledger-${stamp}.csv"; filename*=UTF-8''${encodeURIComponent(`佣金明细-${stamp}.csv`)}`)
      .header('cache-control', 'no-store')
      .header('x-export-rows', String(Math.min(total, LEDGER_EXPORT_MAX_ROWS)))
      .header('x-export-truncated', String(total > LEDGER_EXPORT_MAX_ROWS))
      .send(Readable.from(lines()));
  }

  /** The ledger filter form: the distributor by member id or referral code, kind, China-time days. */
  private async ledgerFilter(form: { distributor: string; kind: string; from: string; to: string }, t: Translate): Promise<{ filter: LedgerFilter; errors?: undefined; distributor: { memberId: number; nickname: string; referralCode: string } | null } | { errors: FieldErrors; filter?: undefined; distributor?: undefined }> {
    const errors: FieldErrors = {};
    const filter: LedgerFilter = {};
    let distributor: { memberId: number; nickname: string; referralCode: string } | null = null;
    if (form.distributor) {
      const byId = /^\d{1,9}$/.test(form.distributor);
      const d = byId ? await this.distributors.byMember(Number(form.distributor)) : /^[A-Za-z0-9]{4,16}$/.test(form.distributor) ? await this.queries.distributorByCode(form.distributor) : null;
      if (!d) errors.distributor = t('dist.errors.unknownDistributor', { value: form.distributor });
      else {
        filter.memberId = d.memberId;
        const row = await this.queries.distributor(d.memberId);
        distributor = { memberId: row.memberId, nickname: row.nickname, referralCode: row.referralCode };
      }
    }
    if (form.kind) {
      if (!(LEDGER_KINDS as readonly string[]).includes(form.kind)) errors.kind = t('dist.errors.kind');
      else filter.kind = form.kind;
    }
    const range = parseDayRange(form.from || undefined, form.to || undefined);
    if (range.error) errors[range.error.field] = t(`dist.errors.${range.error.field === 'from' ? 'dateFrom' : 'dateTo'}`);
    else Object.assign(filter, { from: range.from, to: range.to });
    if (Object.keys(errors).length) return { errors };
    return { filter, distributor };
  }

  // ------------------------------------------------------------------ levels

  @Get('levels')
  async levels(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const levels = await this.queries.levels();
    await this.page(req, reply, 'levels', { levels, mode: this.settings.current().mode, levelsDeep: this.settings.current().levelsDeep }, { tab: 'levels', title: 'dist.nav.levels' });
  }

  @Get('levels/new')
  async newLevel(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.levelForm(req, reply, null, levelFormValues(null), {});
  }

  @Post('levels')
  async createLevel(@Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const parsed = parseLevelForm(body ?? {}, this.t(req));
    if (!parsed.input) return this.levelForm(req, reply, null, parsed.values, parsed.errors, 400);
    try {
      await this.admin.createLevel(parsed.input);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      void reply.header('x-error-code', err.code);
      return this.levelForm(req, reply, null, parsed.values, domainErrorToFields(err), err.status);
    }
    void reply.redirect('/admin/distribution/levels?ok=level_created', 303);
  }

  @Get('levels/:id/edit')
  async editLevel(@Param('id', IdPipe) id: number, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const level = await this.queries.level(id);
    await this.levelForm(req, reply, level, levelFormValues(level), {});
  }

  @Post('levels/:id')
  async updateLevel(@Param('id', IdPipe) id: number, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const level = await this.queries.level(id);
    const parsed = parseLevelForm(body ?? {}, this.t(req));
    if (!parsed.input) return this.levelForm(req, reply, level, parsed.values, parsed.errors, 400);
    try {
      await this.admin.updateLevel(id, parsed.input);
    } catch (err) {
      if (!(err instanceof DomainError) || (err.status === 404 && !err.field)) throw err;
      void reply.header('x-error-code', err.code);
      return this.levelForm(req, reply, level, parsed.values, domainErrorToFields(err), err.status);
    }
    void reply.redirect('/admin/distribution/levels?ok=level_saved', 303);
  }

  private async levelForm(req: FastifyRequest, reply: FastifyReply, level: { id: number; isDefault: boolean } | null, form: LevelFormValues, errors: FieldErrors, status = 200): Promise<void> {
    const s = this.settings.current();
    const rows = form.rates.map((r, i) => ({ ...r, index: i, level: i + 1, inactive: s.mode === 'single' ? i > 0 : i >= s.levelsDeep }));
    await this.page(req, reply, 'level-form', {
      level, form, rows, errors, errorList: errorList(errors, this.t(req)), mode: s.mode, levelsDeep: s.levelsDeep,
      action: level ? `/admin/distribution/levels/${level.id}` : '/admin/distribution/levels',
    }, { tab: 'levels', title: level ? 'dist.level.editTitle' : 'dist.level.newTitle', status });
  }

  // ------------------------------------------------------------------ products: rates and partner prices

  @Get('products')
  async products(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, unknown>) {
    const q = param(query, 'q').trim().slice(0, 60);
    const page = pageOf(param(query, 'page'));
    const result = await this.queries.products(q, page, PAGE_SIZE);
    await this.page(req, reply, 'products', { result, q, baseUrl: `/admin/distribution/products${queryString({ q })}` }, { tab: 'products', title: 'dist.nav.products' });
  }

  @Get('products/:id')
  async product(@Param('id', IdPipe) id: number, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.productPage(req, reply, id, {});
  }

  @Post('products/:id/rates')
  async saveRates(@Param('id', IdPipe) id: number, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const scopes = await this.scopes(req);
    await this.queries.productDistribution(id); // 404 before anything else
    const parsed = parseOverridesForm(body ?? {}, scopes, this.t(req));
    if (!parsed.input) return this.productPage(req, reply, id, { errors: parsed.errors, overrideRows: parsed.rows }, 400);
    try {
      await this.admin.saveProductRates(id, parsed.input);
    } catch (err) {
      if (!(err instanceof DomainError) || (err.status === 404 && !err.field)) throw err;
      void reply.header('x-error-code', err.code);
      return this.productPage(req, reply, id, { errors: { [remapOverrideField(err.field, parsed.formIndex)]: err.message }, overrideRows: parsed.rows }, err.status);
    }
    void reply.redirect(`/admin/distribution/products/${id}?ok=rates_saved`, 303);
  }

  @Post('products/:id/partner-prices')
  async savePartnerPrices(@Param('id', IdPipe) id: number, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const data = await this.queries.productDistribution(id);
    const parsed = parsePartnerPricesForm(body ?? {}, data.variants, this.t(req));
    if (!parsed.input) return this.productPage(req, reply, id, { errors: parsed.errors, priceRows: parsed.rows }, parsed.errors._form ? 409 : 400);
    try {
      await this.admin.savePartnerPrices(id, parsed.input);
    } catch (err) {
      if (!(err instanceof DomainError) || (err.status === 404 && !err.field)) throw err;
      void reply.header('x-error-code', err.code);
      return this.productPage(req, reply, id, { errors: domainErrorToFields(err), priceRows: parsed.rows }, err.status);
    }
    void reply.redirect(`/admin/distribution/products/${id}?ok=prices_saved`, 303);
  }

  private async scopes(req: FastifyRequest): Promise<Array<{ levelId: number | null; label: string }>> {
    const levels = await this.queries.levels();
    return [{ levelId: null, label: this.t(req)('dist.products.allLevels') }, ...levels.map((l) => ({ levelId: l.id, label: l.name }))];
  }

  private async productPage(req: FastifyRequest, reply: FastifyReply, id: number, extra: { errors?: FieldErrors; overrideRows?: OverrideFormRow[]; priceRows?: PartnerPriceFormRow[] }, status = 200): Promise<void> {
    const data = await this.queries.productDistribution(id);
    const scopes = await this.scopes(req);
    const overrideRows = extra.overrideRows ?? scopes.map((s): OverrideFormRow => {
      const o = data.overrides.find((x) => x.levelId === s.levelId);
      return { levelId: s.levelId === null ? '' : String(s.levelId), label: s.label, enabled: !!o, rates: rateFormRows(o?.rates) };
    });
    const priceRows = extra.priceRows ?? data.variants.map((v): PartnerPriceFormRow => ({ variantId: v.id, specText: v.specText, price: v.price, partnerPrice: v.partnerPrice === null ? '' : (v.partnerPrice / 100).toFixed(2) }));
    const errors = extra.errors ?? {};
    const s = this.settings.current();
    await this.page(req, reply, 'product', {
      data, overrideRows, priceRows, errors, errorList: errorList(errors, this.t(req)), partnerPriceEnabled: s.partnerPriceEnabled, mode: s.mode,
    }, { tab: 'products', title: 'dist.products.title', status });
  }
}
