import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, Not, type Repository } from 'typeorm';
import { BadInputError, ConflictError, NotFoundError } from '../../../core/common/errors.js';
import { TransactionRunner } from '../../../core/database/transaction.js';
import { Product } from '../../../core/catalog/entities/product.entity.js';
import { ProductVariant } from '../../../core/catalog/entities/product-variant.entity.js';
import { Distributor } from '../entities/distributor.entity.js';
import { DistributorLevel, type Rate } from '../entities/distributor-level.entity.js';
import { PartnerPrice } from '../entities/partner-price.entity.js';
import { ProductRate } from '../entities/product-rate.entity.js';
import type { Withdrawal } from '../entities/withdrawal.entity.js';
import { MAX_CHAIN_DEPTH } from '../services/distribution-settings.js';
import { DistributorService } from '../services/distributor.service.js';
import { WithdrawalService } from '../services/withdrawal.service.js';

/** 100 % in basis points. */
export const MAX_PERCENT_BP = 10_000;
/** ¥1,000,000 per unit: far above any real fixed commission, well inside an int column. */
export const MAX_FIXED_FEN = 100_000_000;
export const MAX_REASON = 200;

export interface LevelData {
  name: string;
  rank: number;
  /** L1 first; one to three. */
  rates: Rate[];
  upgradeTeamSize: number | null;
  /** Fen. */
  upgradeSales: number | null;
  isDefault: boolean;
}

export interface OverrideData {
  levelId: number | null;
  rates: Rate[];
}

export interface PartnerPriceData {
  variantId: number;
  /** Fen; null removes the variant's partner price. */
  price: number | null;
}

/**
 * Checks a list of rates: one to three (the multi-tier cap), each a known type with a whole,
 * non-negative value (percent in basis points up to 100 %, fixed in fen). Errors name `<prefix>.<i>.value`.
 */
export function checkRates(rates: unknown, prefix = 'rates'): Rate[] {
  if (!Array.isArray(rates) || rates.length < 1) throw new BadInputError(prefix, 'give at least the level 1 rate', 'rates_required');
  if (rates.length > MAX_CHAIN_DEPTH) throw new BadInputError(prefix, `at most ${MAX_CHAIN_DEPTH} levels of commission: deeper chains are not allowed`, 'too_many_levels');
  return rates.map((r: unknown, i): Rate => {
    const rate = r as Partial<Rate> | null;
    if (!rate || (rate.type !== 'percent' && rate.type !== 'fixed')) throw new BadInputError(`${prefix}.${i}.type`, 'type must be "percent" or "fixed"');
    const v = rate.value;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new BadInputError(`${prefix}.${i}.value`, 'value must be a whole, non-negative number (basis points or fen)');
    if (rate.type === 'percent' && v > MAX_PERCENT_BP) throw new BadInputError(`${prefix}.${i}.value`, 'a percent rate is at most 100% (10000 basis points)', 'rate_too_high');
    if (rate.type === 'fixed' && v > MAX_FIXED_FEN) throw new BadInputError(`${prefix}.${i}.value`, `a fixed rate is at most ${MAX_FIXED_FEN} fen`, 'rate_too_high');
    return { type: rate.type, value: v };
  });
}

/**
 * The back office's writes that the engine's services do not offer: levels, per-product rates and
 * partner prices, a distributor's level; and the status actions with the transition checks the
 * admin needs (an illegal transition is a 409, an unknown id a 404) before calling the engine.
 */
@Injectable()
export class DistributionAdminService {
  private readonly tx: TransactionRunner;

  constructor(@InjectDataSource() private readonly ds: DataSource, private readonly distributors: DistributorService, private readonly withdrawals: WithdrawalService) {
    this.tx = new TransactionRunner(ds);
  }

  // ------------------------------------------------------------------ distributors

  private async distributor(memberId: number): Promise<Distributor> {
    const d = await this.distributors.byMember(memberId);
    if (!d) throw new NotFoundError('distributor', memberId);
    return d;
  }

  async approve(memberId: number): Promise<Distributor> {
    const d = await this.distributor(memberId);
    if (d.status !== 'pending') throw new ConflictError('not_pending', `distributor ${memberId} is ${d.status}: only a pending application can be approved`);
    return this.distributors.approve(memberId);
  }

  async reject(memberId: number, reason: string): Promise<void> {
    const text = reason.trim();
    if (!text) throw new BadInputError('reason', 'give the applicant a reason', 'reason_required');
    if (text.length > MAX_REASON) throw new BadInputError('reason', `the reason is at most ${MAX_REASON} characters`);
    await this.distributor(memberId);
    await this.distributors.reject(memberId, text);
  }

  async disable(memberId: number): Promise<void> {
    const d = await this.distributor(memberId);
    if (d.status !== 'active') throw new ConflictError('not_active', `distributor ${memberId} is ${d.status}: only an active distributor can be disabled`);
    await this.distributors.setStatus(memberId, 'disabled');
  }

  async enable(memberId: number): Promise<void> {
    const d = await this.distributor(memberId);
    if (d.status !== 'disabled') throw new ConflictError('not_disabled', `distributor ${memberId} is ${d.status}: only a disabled distributor can be enabled again`);
    await this.distributors.setStatus(memberId, 'active');
  }

  async setLevel(memberId: number, levelId: number): Promise<void> {
    const d = await this.distributor(memberId);
    if (!(await this.ds.getRepository(DistributorLevel).findOneBy({ id: levelId }))) throw new NotFoundError('level', levelId, 'levelId');
    await this.ds.getRepository(Distributor).update({ id: d.id }, { levelId });
  }

  // ------------------------------------------------------------------ withdrawals

  async approveWithdrawal(withdrawalNo: string, channel: string): Promise<Withdrawal> {
    const w = await this.withdrawals.byNo(withdrawalNo);
    if (!this.withdrawals.channels().includes(channel)) throw new BadInputError('channel', `payout channel "${channel}" is not available; choose one of ${this.withdrawals.channels().join(', ')}`);
    if (w.status !== 'pending') throw new ConflictError('not_pending', `withdrawal ${withdrawalNo} is ${w.status}: only a pending request can be approved`);
    return this.withdrawals.approve(withdrawalNo, channel);
  }

  async rejectWithdrawal(withdrawalNo: string, reason: string): Promise<Withdrawal> {
    const text = reason.trim();
    if (!text) throw new BadInputError('reason', 'give the distributor a reason', 'reason_required');
    if (text.length > MAX_REASON) throw new BadInputError('reason', `the reason is at most ${MAX_REASON} characters`);
    await this.withdrawals.byNo(withdrawalNo);
    return this.withdrawals.reject(withdrawalNo, text);
  }

  /** Offline payouts only: the merchant paid by hand. */
  async markWithdrawalPaid(withdrawalNo: string, providerRef: string | null): Promise<Withdrawal> {
    const w = await this.withdrawals.byNo(withdrawalNo);
    if (w.status !== 'approved') throw new ConflictError('illegal_transition', `withdrawal ${withdrawalNo} is ${w.status}: only an approved offline withdrawal can be marked paid`);
    if (w.channel !== 'offline') throw new ConflictError('not_offline', `withdrawal ${withdrawalNo} is paid through "${w.channel}", which reports the result itself`);
    const ref = providerRef?.trim() || null;
    if (ref && ref.length > 64) throw new BadInputError('providerRef', 'the payment reference is at most 64 characters');
    return this.withdrawals.markPaid(withdrawalNo, ref);
  }

  // ------------------------------------------------------------------ levels

  async createLevel(data: LevelData): Promise<DistributorLevel> {
    const clean = this.checkLevel(data);
    return this.tx.run(async ({ manager }) => {
      await this.assertUnique(manager.getRepository(DistributorLevel), clean, null);
      if (clean.isDefault) await manager.update(DistributorLevel, { isDefault: true }, { isDefault: false });
      // the first level is the default whatever was asked: there must always be one
      const isDefault = clean.isDefault || (await manager.countBy(DistributorLevel, { isDefault: true })) === 0;
      return manager.save(DistributorLevel, manager.create(DistributorLevel, { ...clean, isDefault }));
    });
  }

  async updateLevel(id: number, data: LevelData): Promise<DistributorLevel> {
    const clean = this.checkLevel(data);
    return this.tx.run(async ({ manager }) => {
      const level = await manager.findOneBy(DistributorLevel, { id });
      if (!level) throw new NotFoundError('level', id);
      if (level.isDefault && !clean.isDefault) throw new ConflictError('default_level_required', 'one level must be the default: make another level the default instead', 'isDefault');
      await this.assertUnique(manager.getRepository(DistributorLevel), clean, id);
      if (clean.isDefault && !level.isDefault) await manager.update(DistributorLevel, { isDefault: true }, { isDefault: false });
      await manager.update(DistributorLevel, { id }, { ...clean });
      return manager.findOneByOrFail(DistributorLevel, { id });
    });
  }

  private checkLevel(data: LevelData): LevelData {
    const name = data.name.trim();
    if (!name || name.length > 32) throw new BadInputError('name', 'name must be 1-32 characters');
    if (!Number.isSafeInteger(data.rank) || data.rank < 0 || data.rank > 9999) throw new BadInputError('rank', 'rank must be a whole number from 0 to 9999');
    const rates = checkRates(data.rates);
    if (data.upgradeTeamSize !== null && (!Number.isSafeInteger(data.upgradeTeamSize) || data.upgradeTeamSize < 1 || data.upgradeTeamSize > 10_000_000)) throw new BadInputError('upgradeTeamSize', 'upgradeTeamSize must be a whole number from 1, or empty');
    if (data.upgradeSales !== null && (!Number.isSafeInteger(data.upgradeSales) || data.upgradeSales < 1 || data.upgradeSales > 1_000_000_000)) throw new BadInputError('upgradeSales', 'upgradeSales must be an amount from 0.01, or empty');
    return { name, rank: data.rank, rates, upgradeTeamSize: data.upgradeTeamSize, upgradeSales: data.upgradeSales, isDefault: data.isDefault };
  }

  private async assertUnique(repo: Repository<DistributorLevel>, data: LevelData, id: number | null): Promise<void> {
    const others = id === null ? {} : { id: Not(id) };
    if (await repo.findOneBy({ ...others, name: data.name })) throw new ConflictError('level_name_taken', `a level named "${data.name}" already exists`, 'name');
    // upgrades move up by rank: two levels of one rank would make the order ambiguous
    if (await repo.findOneBy({ ...others, rank: data.rank })) throw new ConflictError('level_rank_taken', `another level already has rank ${data.rank}`, 'rank');
  }

  // ------------------------------------------------------------------ products

  /** Replaces the product's override rates. */
  async saveProductRates(productId: number, overrides: OverrideData[]): Promise<void> {
    if (!(await this.ds.getRepository(Product).findOneBy({ id: productId }))) throw new NotFoundError('product', productId);
    const seen = new Set<string>();
    const levelIds = (await this.ds.getRepository(DistributorLevel).find({ select: { id: true } })).map((l) => l.id);
    const clean = overrides.map((o, i) => {
      const key = String(o.levelId);
      if (seen.has(key)) throw new BadInputError(`overrides.${i}.levelId`, 'one override per level', 'duplicate_level');
      seen.add(key);
      if (o.levelId !== null && !levelIds.includes(o.levelId)) throw new NotFoundError('level', o.levelId, `overrides.${i}.levelId`);
      return { productId, levelId: o.levelId, rates: checkRates(o.rates, `overrides.${i}.rates`) };
    });
    await this.tx.run(async ({ manager }) => {
      await manager.delete(ProductRate, { productId });
      if (clean.length) await manager.insert(ProductRate, clean);
    });
  }

  /** Sets or removes partner prices of the product's variants; each must be below the variant's price. */
  async savePartnerPrices(productId: number, prices: PartnerPriceData[]): Promise<void> {
    if (!(await this.ds.getRepository(Product).findOneBy({ id: productId }))) throw new NotFoundError('product', productId);
    const variants = await this.ds.getRepository(ProductVariant).find({ where: { productId }, select: { id: true, price: true } });
    const seen = new Set<number>();
    prices.forEach((p, i) => {
      const v = variants.find((x) => x.id === p.variantId);
      if (!v) throw new NotFoundError('variant', p.variantId, `prices.${i}.variantId`);
      if (seen.has(p.variantId)) throw new BadInputError(`prices.${i}.variantId`, 'one price per variant', 'duplicate_variant');
      seen.add(p.variantId);
      if (p.price === null) return;
      if (!Number.isSafeInteger(p.price) || p.price < 1) throw new BadInputError(`prices.${i}.price`, 'the partner price must be at least 0.01 yuan');
      if (p.price >= v.price) throw new BadInputError(`prices.${i}.price`, `the partner price must be lower than the variant's price (${(v.price / 100).toFixed(2)} yuan)`, 'partner_price_not_lower');
    });
    await this.tx.run(async ({ manager }) => {
      const existing = prices.length ? await manager.findBy(PartnerPrice, { variantId: In(prices.map((p) => p.variantId)) }) : [];
      for (const p of prices) {
        const row = existing.find((e) => e.variantId === p.variantId);
        if (p.price === null) {
          if (row) await manager.delete(PartnerPrice, { id: row.id });
        } else if (row) {
          if (row.price !== p.price) await manager.update(PartnerPrice, { id: row.id }, { price: p.price });
        } else {
          await manager.insert(PartnerPrice, { variantId: p.variantId, price: p.price });
        }
      }
    });
  }
}
