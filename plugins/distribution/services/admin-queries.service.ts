import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type SelectQueryBuilder } from 'typeorm';
import { NotFoundError } from '../../../core/common/errors.js';
import { Member } from '../../../core/customer/entities/member.entity.js';
import { Order } from '../../../core/order/entities/order.entity.js';
import { OrderLine } from '../../../core/order/entities/order-line.entity.js';
import { Product } from '../../../core/catalog/entities/product.entity.js';
import { ProductVariant } from '../../../core/catalog/entities/product-variant.entity.js';
import { Commission } from '../entities/commission.entity.js';
import { Distributor, type DistributorStatus } from '../entities/distributor.entity.js';
import { DistributorLevel } from '../entities/distributor-level.entity.js';
import { LedgerEntry, type LedgerBucket } from '../entities/ledger-entry.entity.js';
import { PartnerPrice } from '../entities/partner-price.entity.js';
import { ProductRate } from '../entities/product-rate.entity.js';
import { ReferralBinding } from '../entities/referral-binding.entity.js';
import { Withdrawal, type WithdrawalStatus } from '../entities/withdrawal.entity.js';
import type { Balances } from './ledger.service.js';

export const DISTRIBUTOR_STATUSES: DistributorStatus[] = ['pending', 'active', 'rejected', 'disabled'];
export const WITHDRAWAL_STATUSES: WithdrawalStatus[] = ['pending', 'approved', 'paying', 'paid', 'rejected', 'failed'];
/** Every kind of ledger movement the engine writes. */
export const LEDGER_KINDS = ['commission_earned', 'commission_unlocked', 'commission_reversed', 'bonus_earned', 'withdrawal_requested', 'withdrawal_rejected', 'withdrawal_paid', 'withdrawal_failed'] as const;
export const LEDGER_BUCKETS: LedgerBucket[] = ['frozen', 'available', 'withdrawing', 'withdrawn'];
/** The CSV export stops here; narrow the filter for more. */
export const LEDGER_EXPORT_MAX_ROWS = 50_000;
/** The admin's team tree goes as deep as commission does. */
export const TEAM_TREE_DEPTH = 3;

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

export interface MemberBrief {
  memberId: number;
  nickname: string;
  avatarUrl: string | null;
}

export interface DistributorRow extends MemberBrief {
  id: number;
  status: DistributorStatus;
  shopName: string;
  referralCode: string;
  levelId: number | null;
  /** The level whose rates apply: the distributor's, or the default level when they have none. */
  effectiveLevelId: number | null;
  levelName: string;
  teamSize: number;
  balances: Balances;
  approvedAt: Date | null;
  rejectReason: string | null;
  createdAt: Date;
}

export interface UplineRow extends MemberBrief {
  level: 1 | 2 | 3;
  referralCode: string | null;
  shopName: string | null;
  status: DistributorStatus | null;
}

export interface TeamNode extends MemberBrief {
  boundAt: Date;
  source: string;
  /** The member's own distributor status, null when they are not a distributor. */
  status: DistributorStatus | null;
  referralCode: string | null;
  /** Their own direct (L1) team. */
  childCount: number;
}

export interface LedgerFilter {
  memberId?: number;
  kind?: string;
  /** Inclusive start (UTC instant). */
  from?: Date;
  /** Exclusive end (UTC instant). */
  to?: Date;
}

export interface LedgerRow {
  id: number;
  createdAt: Date;
  distributorMemberId: number;
  nickname: string;
  referralCode: string;
  kind: string;
  bucket: LedgerBucket;
  amount: number;
  ref: string;
  note: string;
}

export interface LedgerTotals {
  count: number;
  /** Net movement of each bucket over the filtered entries (fen). */
  buckets: Balances;
}

export interface WithdrawalRow extends MemberBrief {
  id: number;
  withdrawalNo: string;
  amount: number;
  fee: number;
  netAmount: number;
  status: WithdrawalStatus;
  channel: string;
  reason: string | null;
  providerRef: string | null;
  processedAt: Date | null;
  createdAt: Date;
  shopName: string;
  referralCode: string;
  /** The distributor's balances now (for the reviewer). */
  balances: Balances;
}

export interface CommissionRow {
  id: number;
  orderId: number;
  orderNo: string;
  lineTitle: string;
  level: number;
  base: number;
  rate: Commission['rate'];
  amount: number;
  status: Commission['status'];
  unlockAt: Date | null;
  createdAt: Date;
}

export interface ProductDistribution {
  product: { id: number; title: string; isListed: boolean; minPrice: number; image: string | null };
  variants: Array<{ id: number; specText: string; price: number; partnerPrice: number | null; skuCode: string | null }>;
  /** Overrides by level (levelId null = every level). */
  overrides: Array<{ levelId: number | null; rates: ProductRate['rates'] }>;
}

function emptyBalances(): Balances {
  return { frozen: 0, available: 0, withdrawing: 0, withdrawn: 0 };
}

function paged<T>(items: T[], total: number, page: number, pageSize: number): Paged<T> {
  return { items, total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

/** LIKE pattern with the wildcards of the search text escaped by "!" (the same on SQLite and MySQL: use with ESCAPE '!'). */
function likeContains(q: string): string {
  return `%${q.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/**
 * Read models for the distribution back office: lists with the numbers a reviewer needs (team size,
 * balances), the upline chain and team tree, ledger filters with totals and the CSV export batches.
 * Nothing here writes.
 */
@Injectable()
export class DistributionAdminQueries {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  // ------------------------------------------------------------------ distributors

  async distributors(filter: { q?: string; status?: DistributorStatus; levelId?: number }, page = 1, pageSize = 20): Promise<Paged<DistributorRow>> {
    const qb = this.ds.getRepository(Distributor).createQueryBuilder('d').leftJoin(Member, 'm', 'm.id = d.member_id');
    if (filter.status) qb.andWhere('d.status = :status', { status: filter.status });
    if (filter.levelId) qb.andWhere('d.level_id = :levelId', { levelId: filter.levelId });
    const q = filter.q?.trim();
    if (q) {
      const like = likeContains(q);
      const byId = /^\d{1,9}$/.test(q) ? ' OR d.member_id = :qid' : '';
      qb.andWhere(`(d.shop_name LIKE :like ESCAPE '!' OR d.referral_code LIKE :like ESCAPE '!' OR m.nickname LIKE :like ESCAPE '!'${byId})`, { like, qid: Number(q) });
    }
    const total = await qb.getCount();
    // pending applications first: they are the ones waiting for someone
    const rows = await qb.orderBy(`CASE WHEN d.status = 'pending' THEN 0 ELSE 1 END`, 'ASC').addOrderBy('d.id', 'DESC').offset((page - 1) * pageSize).limit(pageSize).getMany();
    return paged(await this.distributorRows(rows), total, page, pageSize);
  }

  async countByStatus(): Promise<Record<DistributorStatus, number>> {
    const raw = (await this.ds.getRepository(Distributor).createQueryBuilder('d').select('d.status', 'status').addSelect('COUNT(*)', 'n').groupBy('d.status').getRawMany()) as Array<{ status: DistributorStatus; n: string | number }>;
    const out: Record<DistributorStatus, number> = { pending: 0, active: 0, rejected: 0, disabled: 0 };
    for (const r of raw) if (r.status in out) out[r.status] = Number(r.n);
    return out;
  }

  async distributor(memberId: number): Promise<DistributorRow> {
    const d = await this.ds.getRepository(Distributor).findOneBy({ memberId });
    if (!d) throw new NotFoundError('distributor', memberId);
    return (await this.distributorRows([d]))[0];
  }

  /** Any distributor (whatever their status) by referral code, case-insensitive. */
  async distributorByCode(code: string): Promise<Distributor | null> {
    return this.ds.getRepository(Distributor).findOneBy({ referralCode: code.toUpperCase() });
  }

  /** The member's uplines L1-L3 (from their live binding row; an expired binding still shows, marked by the caller if needed). */
  async uplines(memberId: number): Promise<{ rows: UplineRow[]; boundAt: Date | null; source: string | null; expiresAt: Date | null }> {
    const b = await this.ds.getRepository(ReferralBinding).findOneBy({ memberId });
    if (!b) return { rows: [], boundAt: null, source: null, expiresAt: null };
    const ids = [b.upline1Id, b.upline2Id, b.upline3Id];
    const present = ids.filter((x): x is number => x !== null);
    const members = await this.members(present);
    const distributors = present.length ? await this.ds.getRepository(Distributor).findBy({ memberId: In(present) }) : [];
    const rows: UplineRow[] = [];
    ids.forEach((id, i) => {
      if (id === null) return;
      const d = distributors.find((x) => x.memberId === id);
      rows.push({ ...this.brief(id, members), level: (i + 1) as 1 | 2 | 3, referralCode: d?.referralCode ?? null, shopName: d?.shopName ?? null, status: d?.status ?? null });
    });
    return { rows, boundAt: b.boundAt, source: b.source, expiresAt: b.expiresAt };
  }

  /** Team sizes at levels 1-3 (one indexed count each). */
  async teamCounts(memberId: number): Promise<{ l1: number; l2: number; l3: number }> {
    const repo = this.ds.getRepository(ReferralBinding);
    const [l1, l2, l3] = await Promise.all([repo.countBy({ upline1Id: memberId }), repo.countBy({ upline2Id: memberId }), repo.countBy({ upline3Id: memberId })]);
    return { l1, l2, l3 };
  }

  /**
   * One level of the team tree: the members whose direct upline is `memberId`, newest first, each
   * with their own direct team size so the page can offer to expand them.
   */
  async teamChildren(memberId: number, page = 1, pageSize = 50): Promise<Paged<TeamNode>> {
    const repo = this.ds.getRepository(ReferralBinding);
    const [rows, total] = await repo.findAndCount({ where: { upline1Id: memberId }, order: { boundAt: 'DESC', id: 'DESC' }, skip: (page - 1) * pageSize, take: pageSize });
    const ids = rows.map((r) => r.memberId);
    const members = await this.members(ids);
    const distributors = ids.length ? await this.ds.getRepository(Distributor).findBy({ memberId: In(ids) }) : [];
    const counts = await this.l1Counts(ids);
    const items = rows.map((r): TeamNode => {
      const d = distributors.find((x) => x.memberId === r.memberId);
      return { ...this.brief(r.memberId, members), boundAt: r.boundAt, source: r.source, status: d?.status ?? null, referralCode: d?.referralCode ?? null, childCount: counts.get(r.memberId) ?? 0 };
    });
    return paged(items, total, page, pageSize);
  }

  async recentCommissions(memberId: number, limit = 10): Promise<CommissionRow[]> {
    const rows = await this.ds.getRepository(Commission).find({ where: { distributorMemberId: memberId }, order: { id: 'DESC' }, take: limit });
    const orderIds = [...new Set(rows.map((r) => r.orderId))];
    const orders = orderIds.length ? await this.ds.getRepository(Order).find({ where: { id: In(orderIds) }, select: { id: true, orderNo: true } }) : [];
    const lineIds = rows.map((r) => r.orderLineId).filter((x): x is number => x !== null);
    const lines = lineIds.length ? await this.ds.getRepository(OrderLine).find({ where: { id: In(lineIds) }, select: { id: true, title: true } }) : [];
    return rows.map((r) => ({
      id: r.id, orderId: r.orderId, orderNo: orders.find((o) => o.id === r.orderId)?.orderNo ?? '', lineTitle: lines.find((l) => l.id === r.orderLineId)?.title ?? '',
      level: r.level, base: r.base, rate: r.rate, amount: r.amount, status: r.status, unlockAt: r.unlockAt, createdAt: r.createdAt,
    }));
  }

  // ------------------------------------------------------------------ ledger

  async ledger(filter: LedgerFilter, page = 1, pageSize = 50): Promise<Paged<LedgerRow> & { totals: LedgerTotals }> {
    const total = await this.ledgerQuery(filter).getCount();
    const entries = await this.ledgerQuery(filter).orderBy('l.id', 'DESC').offset((page - 1) * pageSize).limit(pageSize).getMany();
    return { ...paged(await this.ledgerRows(entries), total, page, pageSize), totals: await this.ledgerTotals(filter) };
  }

  async ledgerTotals(filter: LedgerFilter): Promise<LedgerTotals> {
    const raw = (await this.ledgerQuery(filter).select('l.bucket', 'bucket').addSelect('COALESCE(SUM(l.amount), 0)', 'total').addSelect('COUNT(*)', 'n').groupBy('l.bucket').getRawMany()) as Array<{ bucket: LedgerBucket; total: string | number; n: string | number }>;
    const buckets = emptyBalances();
    let count = 0;
    for (const r of raw) {
      if (r.bucket in buckets) buckets[r.bucket] = Number(r.total);
      count += Number(r.n);
    }
    return { count, buckets };
  }

  /** The filtered entries newest first, in batches (keyset paging on id), at most LEDGER_EXPORT_MAX_ROWS in all. */
  async *ledgerBatches(filter: LedgerFilter, batchSize = 1000, max = LEDGER_EXPORT_MAX_ROWS): AsyncGenerator<LedgerRow[]> {
    let beforeId: number | null = null;
    let sent = 0;
    while (sent < max) {
      const qb = this.ledgerQuery(filter).orderBy('l.id', 'DESC').limit(Math.min(batchSize, max - sent));
      if (beforeId !== null) qb.andWhere('l.id < :beforeId', { beforeId });
      const entries = await qb.getMany();
      if (!entries.length) return;
      sent += entries.length;
      beforeId = entries[entries.length - 1].id;
      yield await this.ledgerRows(entries);
      if (entries.length < batchSize) return;
    }
  }

  async ledgerCount(filter: LedgerFilter): Promise<number> {
    return this.ledgerQuery(filter).getCount();
  }

  // ------------------------------------------------------------------ withdrawals

  async withdrawals(filter: { status?: WithdrawalStatus; memberId?: number }, page = 1, pageSize = 20): Promise<Paged<WithdrawalRow>> {
    const qb = this.ds.getRepository(Withdrawal).createQueryBuilder('w');
    if (filter.status) qb.andWhere('w.status = :status', { status: filter.status });
    if (filter.memberId) qb.andWhere('w.distributor_member_id = :m', { m: filter.memberId });
    const total = await qb.getCount();
    // waiting for approval first, then approved ones waiting to be paid, then the rest
    const rows = await qb
      .orderBy(`CASE WHEN w.status = 'pending' THEN 0 WHEN w.status = 'approved' THEN 1 WHEN w.status = 'paying' THEN 2 ELSE 3 END`, 'ASC')
      .addOrderBy('w.id', 'DESC').offset((page - 1) * pageSize).limit(pageSize).getMany();
    const ids = [...new Set(rows.map((r) => r.distributorMemberId))];
    const members = await this.members(ids);
    const distributors = ids.length ? await this.ds.getRepository(Distributor).findBy({ memberId: In(ids) }) : [];
    const balances = await this.balancesOf(ids);
    const items = rows.map((w): WithdrawalRow => {
      const d = distributors.find((x) => x.memberId === w.distributorMemberId);
      return {
        ...this.brief(w.distributorMemberId, members), id: w.id, withdrawalNo: w.withdrawalNo, amount: w.amount, fee: w.fee, netAmount: w.netAmount, status: w.status, channel: w.channel,
        reason: w.reason, providerRef: w.providerRef, processedAt: w.processedAt, createdAt: w.createdAt, shopName: d?.shopName ?? '', referralCode: d?.referralCode ?? '',
        balances: balances.get(w.distributorMemberId) ?? emptyBalances(),
      };
    });
    return paged(items, total, page, pageSize);
  }

  async withdrawalCounts(): Promise<Record<WithdrawalStatus, number>> {
    const raw = (await this.ds.getRepository(Withdrawal).createQueryBuilder('w').select('w.status', 'status').addSelect('COUNT(*)', 'n').groupBy('w.status').getRawMany()) as Array<{ status: WithdrawalStatus; n: string | number }>;
    const out = Object.fromEntries(WITHDRAWAL_STATUSES.map((s) => [s, 0])) as Record<WithdrawalStatus, number>;
    for (const r of raw) if (r.status in out) out[r.status] = Number(r.n);
    return out;
  }

  // ------------------------------------------------------------------ levels and products

  async levels(): Promise<Array<DistributorLevel & { distributorCount: number }>> {
    const levels = await this.ds.getRepository(DistributorLevel).find({ order: { rank: 'ASC', id: 'ASC' } });
    const raw = (await this.ds.getRepository(Distributor).createQueryBuilder('d').select('d.level_id', 'levelId').addSelect('COUNT(*)', 'n').groupBy('d.level_id').getRawMany()) as Array<{ levelId: number | string | null; n: string | number }>;
    const fallback = levels.find((l) => l.isDefault);
    return levels.map((l) => ({
      ...l,
      // distributors without a level earn at the default level's rates
      distributorCount: raw.filter((r) => (r.levelId === null ? fallback?.id === l.id : Number(r.levelId) === l.id)).reduce((s, r) => s + Number(r.n), 0),
    }));
  }

  async level(id: number): Promise<DistributorLevel> {
    const l = await this.ds.getRepository(DistributorLevel).findOneBy({ id });
    if (!l) throw new NotFoundError('level', id);
    return l;
  }

  /** Products for the rates page: search by title or id, with whether overrides / partner prices exist. */
  async products(q: string, page = 1, pageSize = 20): Promise<Paged<{ id: number; title: string; isListed: boolean; minPrice: number; image: string | null; overrideCount: number; partnerPriceCount: number }>> {
    const qb = this.ds.getRepository(Product).createQueryBuilder('p');
    const text = q.trim();
    if (text) {
      const byId = /^\d{1,9}$/.test(text) ? ' OR p.id = :qid' : '';
      qb.andWhere(`(p.title LIKE :like ESCAPE '!'${byId})`, { like: likeContains(text), qid: Number(text) });
    }
    const total = await qb.getCount();
    const rows = await qb.orderBy('p.id', 'DESC').offset((page - 1) * pageSize).limit(pageSize).getMany();
    const ids = rows.map((r) => r.id);
    const overrides = ids.length ? await this.ds.getRepository(ProductRate).findBy({ productId: In(ids) }) : [];
    const variants = ids.length ? await this.ds.getRepository(ProductVariant).find({ where: { productId: In(ids) }, select: { id: true, productId: true } }) : [];
    const partner = variants.length ? await this.ds.getRepository(PartnerPrice).findBy({ variantId: In(variants.map((v) => v.id)) }) : [];
    const items = rows.map((p) => ({
      id: p.id, title: p.title, isListed: p.isListed, minPrice: p.minPrice, image: p.images[0] ?? null,
      overrideCount: overrides.filter((o) => o.productId === p.id).length,
      partnerPriceCount: partner.filter((pp) => variants.some((v) => v.id === pp.variantId && v.productId === p.id)).length,
    }));
    return paged(items, total, page, pageSize);
  }

  async productDistribution(productId: number): Promise<ProductDistribution> {
    const p = await this.ds.getRepository(Product).findOneBy({ id: productId });
    if (!p) throw new NotFoundError('product', productId);
    const variants = await this.ds.getRepository(ProductVariant).find({ where: { productId, isActive: true }, order: { sortOrder: 'ASC', id: 'ASC' } });
    const prices = variants.length ? await this.ds.getRepository(PartnerPrice).findBy({ variantId: In(variants.map((v) => v.id)) }) : [];
    const overrides = await this.ds.getRepository(ProductRate).find({ where: { productId }, order: { id: 'ASC' } });
    return {
      product: { id: p.id, title: p.title, isListed: p.isListed, minPrice: p.minPrice, image: p.images[0] ?? null },
      variants: variants.map((v) => ({ id: v.id, specText: v.specValues.join(' / '), price: v.price, partnerPrice: prices.find((x) => x.variantId === v.id)?.price ?? null, skuCode: v.skuCode })),
      overrides: overrides.map((o) => ({ levelId: o.levelId, rates: o.rates })),
    };
  }

  // ------------------------------------------------------------------ helpers

  private ledgerQuery(filter: LedgerFilter): SelectQueryBuilder<LedgerEntry> {
    const qb = this.ds.getRepository(LedgerEntry).createQueryBuilder('l');
    if (filter.memberId) qb.andWhere('l.distributor_member_id = :m', { m: filter.memberId });
    if (filter.kind) qb.andWhere('l.kind = :kind', { kind: filter.kind });
    if (filter.from) qb.andWhere('l.created_at >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('l.created_at < :to', { to: filter.to });
    return qb;
  }

  private async ledgerRows(entries: LedgerEntry[]): Promise<LedgerRow[]> {
    const ids = [...new Set(entries.map((e) => e.distributorMemberId))];
    const members = await this.members(ids);
    const distributors = ids.length ? await this.ds.getRepository(Distributor).find({ where: { memberId: In(ids) }, select: { memberId: true, referralCode: true } }) : [];
    return entries.map((e) => ({
      id: e.id, createdAt: e.createdAt, distributorMemberId: e.distributorMemberId, nickname: members.get(e.distributorMemberId)?.nickname ?? '',
      referralCode: distributors.find((d) => d.memberId === e.distributorMemberId)?.referralCode ?? '', kind: e.kind, bucket: e.bucket, amount: e.amount, ref: e.ref, note: e.note,
    }));
  }

  private async distributorRows(rows: Distributor[]): Promise<DistributorRow[]> {
    const ids = rows.map((r) => r.memberId);
    const members = await this.members(ids);
    const levels = await this.ds.getRepository(DistributorLevel).find();
    const fallback = levels.find((l) => l.isDefault);
    const counts = await this.l1Counts(ids);
    const balances = await this.balancesOf(ids);
    return rows.map((d) => {
      const level = levels.find((l) => l.id === d.levelId) ?? fallback;
      return {
      ...this.brief(d.memberId, members), id: d.id, status: d.status, shopName: d.shopName, referralCode: d.referralCode, levelId: d.levelId,
      effectiveLevelId: level?.id ?? null, levelName: level?.name ?? '', teamSize: counts.get(d.memberId) ?? 0,
      balances: balances.get(d.memberId) ?? emptyBalances(), approvedAt: d.approvedAt, rejectReason: d.rejectReason, createdAt: d.createdAt,
      };
    });
  }

  private async members(ids: number[]): Promise<Map<number, Member>> {
    if (!ids.length) return new Map();
    const rows = await this.ds.getRepository(Member).find({ where: { id: In([...new Set(ids)]) }, select: { id: true, nickname: true, avatarUrl: true } });
    return new Map(rows.map((m) => [m.id, m]));
  }

  private brief(memberId: number, members: Map<number, Member>): MemberBrief {
    const m = members.get(memberId);
    return { memberId, nickname: m?.nickname ?? '', avatarUrl: m?.avatarUrl ?? null };
  }

  /** Direct team sizes of many members in one grouped, indexed count. */
  private async l1Counts(ids: number[]): Promise<Map<number, number>> {
    if (!ids.length) return new Map();
    const raw = (await this.ds.getRepository(ReferralBinding).createQueryBuilder('b').select('b.upline1_id', 'id').addSelect('COUNT(*)', 'n').where('b.upline1_id IN (:...ids)', { ids }).groupBy('b.upline1_id').getRawMany()) as Array<{ id: number | string; n: number | string }>;
    return new Map(raw.map((r) => [Number(r.id), Number(r.n)]));
  }

  private async balancesOf(ids: number[]): Promise<Map<number, Balances>> {
    const out = new Map<number, Balances>();
    if (!ids.length) return out;
    const raw = (await this.ds.getRepository(LedgerEntry).createQueryBuilder('l').select('l.distributor_member_id', 'id').addSelect('l.bucket', 'bucket').addSelect('SUM(l.amount)', 'total')
      .where('l.distributor_member_id IN (:...ids)', { ids }).groupBy('l.distributor_member_id').addGroupBy('l.bucket').getRawMany()) as Array<{ id: number | string; bucket: LedgerBucket; total: number | string }>;
    for (const r of raw) {
      const b = out.get(Number(r.id)) ?? emptyBalances();
      if (r.bucket in b) b[r.bucket] = Number(r.total);
      out.set(Number(r.id), b);
    }
    return out;
  }
}
