import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomInt } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { ConflictError, NotFoundError } from '../../../core/common/errors.js';
import { TransactionRunner } from '../../../core/database/transaction.js';
import { Member } from '../../../core/customer/entities/member.entity.js';
import { Order } from '../../../core/order/entities/order.entity.js';
import { Product } from '../../../core/catalog/entities/product.entity.js';
import { Distributor } from '../entities/distributor.entity.js';
import { DistributorLevel } from '../entities/distributor-level.entity.js';
import { ReferralBinding } from '../entities/referral-binding.entity.js';
import { ShopPick } from '../entities/shop-pick.entity.js';
import { Commission } from '../entities/commission.entity.js';
import { ReferralBindingService } from './referral-binding.service.js';
import { DistributionSettingsSource } from './settings.provider.js';

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const MAX_PICKS = 200;

export interface TeamMember {
  memberId: number;
  nickname: string;
  avatarUrl: string | null;
  level: 1 | 2 | 3;
  boundAt: Date;
}

/** Enrolment, levels and sub-shops of distributors. */
@Injectable()
export class DistributorService {
  private readonly tx: TransactionRunner;

  constructor(@InjectDataSource() private readonly ds: DataSource, private readonly settings: DistributionSettingsSource, private readonly bindings: ReferralBindingService) {
    this.tx = new TransactionRunner(ds);
  }

  async byMember(memberId: number): Promise<Distributor | null> {
    return this.ds.getRepository(Distributor).findOneBy({ memberId });
  }

  async activeByMember(memberId: number): Promise<Distributor> {
    const d = await this.byMember(memberId);
    if (!d || d.status !== 'active') throw new NotFoundError('distributor', memberId);
    return d;
  }

  async byCode(code: string): Promise<Distributor> {
    const d = await this.ds.getRepository(Distributor).findOneBy({ referralCode: code.toUpperCase(), status: 'active' });
    if (!d) throw new NotFoundError('shop', code);
    return d;
  }

  /** A member asks to become a distributor; the merchant's enrolment rule decides what happens. */
  async apply(memberId: number, shopName?: string): Promise<Distributor> {
    const s = this.settings.current();
    const existing = await this.byMember(memberId);
    if (existing?.status === 'active') return existing;
    if (existing?.status === 'pending') throw new ConflictError('application_pending', 'your application is waiting for the merchant\'s approval');
    if (existing?.status === 'disabled') throw new ConflictError('distributor_disabled', 'your distributor account was disabled by the merchant');
    if (s.enrolment === 'spend_threshold') {
      const spent = await this.completedSpend(memberId);
      if (spent < s.spendThreshold) throw new ConflictError('spend_threshold_not_met', `spend ${s.spendThreshold - spent} fen more in completed orders to become a distributor`);
    }
    const status = s.enrolment === 'approval' ? 'pending' : 'active';
    return this.upsert(memberId, status, shopName);
  }

  async approve(memberId: number): Promise<Distributor> {
    const d = await this.byMember(memberId);
    if (!d) throw new NotFoundError('distributor', memberId);
    if (d.status === 'active') return d;
    if (d.status === 'disabled') throw new ConflictError('illegal_transition', `distributor ${memberId} is disabled: re-enable instead of approving`);
    return this.upsert(memberId, 'active');
  }

  async reject(memberId: number, reason: string): Promise<void> {
    const res = await this.ds.getRepository(Distributor).update({ memberId, status: 'pending' }, { status: 'rejected', rejectReason: reason.slice(0, 200) });
    if (!res.affected) throw new ConflictError('not_pending', `member ${memberId} has no pending application`);
  }

  /** Disable an active distributor or re-enable a disabled one; applicants go through approve/reject. */
  async setStatus(memberId: number, status: 'active' | 'disabled'): Promise<void> {
    const d = await this.byMember(memberId);
    if (!d) throw new NotFoundError('distributor', memberId);
    const from = status === 'active' ? 'disabled' : 'active';
    if (d.status === status) return;
    const res = await this.ds.getRepository(Distributor).update({ memberId, status: from }, { status });
    if (!res.affected) throw new ConflictError('illegal_transition', `distributor ${memberId} is ${d.status} and cannot become ${status}`);
  }

  /** The automatic rule: after a completed order, a member over the spend threshold becomes a distributor. */
  async enrolBySpend(memberId: number): Promise<boolean> {
    const s = this.settings.current();
    if (s.enrolment !== 'spend_threshold') return false;
    const existing = await this.byMember(memberId);
    if (existing && existing.status !== 'rejected') return false;
    if ((await this.completedSpend(memberId)) < s.spendThreshold) return false;
    await this.upsert(memberId, 'active');
    return true;
  }

  /** Moves a distributor up to the best level whose every condition (team size, sales) is met. */
  async upgradeLevel(memberId: number): Promise<DistributorLevel | null> {
    const d = await this.byMember(memberId);
    if (!d || d.status !== 'active') return null;
    const levels = await this.ds.getRepository(DistributorLevel).find({ order: { rank: 'DESC' } });
    const current = levels.find((l) => l.id === d.levelId);
    const teamSize = await this.ds.getRepository(ReferralBinding).countBy({ upline1Id: memberId });
    const sales = await this.l1Sales(memberId);
    for (const level of levels) {
      if (current && level.rank <= current.rank) break;
      if (level.upgradeTeamSize === null && level.upgradeSales === null) continue;
      const teamOk = level.upgradeTeamSize === null || teamSize >= level.upgradeTeamSize;
      const salesOk = level.upgradeSales === null || sales >= level.upgradeSales;
      if (teamOk && salesOk) {
        await this.ds.getRepository(Distributor).update({ id: d.id }, { levelId: level.id });
        return level;
      }
    }
    return null;
  }

  async updateShop(memberId: number, patch: { shopName?: string; shopAvatarUrl?: string | null; shopBannerUrl?: string | null }): Promise<Distributor> {
    const d = await this.activeByMember(memberId);
    await this.ds.getRepository(Distributor).update({ id: d.id }, patch);
    return { ...d, ...patch };
  }

  async pick(memberId: number, productId: number): Promise<void> {
    await this.activeByMember(memberId);
    const product = await this.ds.getRepository(Product).findOneBy({ id: productId, isListed: true });
    if (!product) throw new NotFoundError('product', productId, 'productId');
    const repo = this.ds.getRepository(ShopPick);
    if (await repo.findOneBy({ distributorMemberId: memberId, productId })) return;
    if ((await repo.countBy({ distributorMemberId: memberId })) >= MAX_PICKS) throw new ConflictError('too_many_picks', `a sub-shop shows at most ${MAX_PICKS} picked products`);
    await repo.insert({ distributorMemberId: memberId, productId, sortOrder: 0 }).catch(() => undefined);
  }

  async unpick(memberId: number, productId: number): Promise<void> {
    if (this.settings.current().requiredProductIds.includes(productId)) throw new ConflictError('required_product', 'the merchant requires every sub-shop to show this product', 'productId');
    await this.ds.getRepository(ShopPick).delete({ distributorMemberId: memberId, productId });
  }

  /** Product ids the sub-shop shows: the merchant's required products first, then the distributor's picks. */
  async shopProductIds(memberId: number): Promise<number[]> {
    const picks = await this.ds.getRepository(ShopPick).find({ where: { distributorMemberId: memberId }, order: { sortOrder: 'ASC', id: 'DESC' } });
    const required = this.settings.current().requiredProductIds;
    return [...new Set([...required, ...picks.map((p) => p.productId)])];
  }

  async team(memberId: number, level: 1 | 2 | 3, page = 1, pageSize = 20): Promise<{ items: TeamMember[]; total: number; counts: Record<'1' | '2' | '3', number> }> {
    const repo = this.ds.getRepository(ReferralBinding);
    const column = ({ 1: 'upline1Id', 2: 'upline2Id', 3: 'upline3Id' } as const)[level];
    const counts = {
      '1': await repo.countBy({ upline1Id: memberId }),
      '2': await repo.countBy({ upline2Id: memberId }),
      '3': await repo.countBy({ upline3Id: memberId }),
    };
    const [rows, total] = await repo.findAndCount({ where: { [column]: memberId }, order: { boundAt: 'DESC' }, skip: (page - 1) * pageSize, take: pageSize });
    const members = rows.length ? await this.ds.getRepository(Member).findBy({ id: In(rows.map((r) => r.memberId)) }) : [];
    const items = rows.map((r) => {
      const m = members.find((x) => x.id === r.memberId);
      return { memberId: r.memberId, nickname: m?.nickname ?? '', avatarUrl: m?.avatarUrl ?? null, level, boundAt: r.boundAt };
    });
    return { items, total, counts };
  }

  async list(filter: { status?: string; q?: string }, page = 1, pageSize = 20): Promise<{ items: Array<Distributor & { nickname: string }>; total: number }> {
    const qb = this.ds.getRepository(Distributor).createQueryBuilder('d').orderBy('d.id', 'DESC').skip((page - 1) * pageSize).take(pageSize);
    if (filter.status) qb.andWhere('d.status = :s', { s: filter.status });
    if (filter.q) qb.andWhere('(d.shop_name LIKE :q OR d.referral_code LIKE :q)', { q: `%${filter.q}%` });
    const [rows, total] = await qb.getManyAndCount();
    const members = rows.length ? await this.ds.getRepository(Member).findBy({ id: In(rows.map((r) => r.memberId)) }) : [];
    return { items: rows.map((r) => ({ ...r, nickname: members.find((m) => m.id === r.memberId)?.nickname ?? '' })), total };
  }

  private async upsert(memberId: number, status: 'active' | 'pending', shopName?: string): Promise<Distributor> {
    return this.tx.run(async ({ manager }) => {
      const member = await manager.findOneBy(Member, { id: memberId });
      if (!member) throw new NotFoundError('member', memberId);
      const defaultLevel = await manager.findOneBy(DistributorLevel, { isDefault: true });
      const repo = manager.getRepository(Distributor);
      let d = await repo.findOneBy({ memberId });
      if (d) {
        await repo.update({ id: d.id }, { status, approvedAt: status === 'active' ? new Date() : null, rejectReason: null });
        d = await repo.findOneByOrFail({ id: d.id });
      } else {
        d = await repo.save(repo.create({
          memberId, status, levelId: defaultLevel?.id ?? null, referralCode: await this.newCode(manager.getRepository(Distributor)),
          shopName: (shopName ?? `${member.nickname || '我'}的小店`).slice(0, 40), shopAvatarUrl: member.avatarUrl, shopBannerUrl: null,
          approvedAt: status === 'active' ? new Date() : null, rejectReason: null, balanceVersion: 0,
        }));
      }
      if (status === 'active') await this.bindings.lock(manager, memberId);
      return d;
    });
  }

  private async newCode(repo: { findOneBy(w: { referralCode: string }): Promise<Distributor | null> }): Promise<string> {
    for (;;) {
      const code = Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
      if (!(await repo.findOneBy({ referralCode: code }))) return code;
    }
  }

  private async completedSpend(memberId: number): Promise<number> {
    const row = (await this.ds.getRepository(Order).createQueryBuilder('o').select('COALESCE(SUM(o.paid_total - o.refunded_total), 0)', 'total').where('o.member_id = :m AND o.status = :s', { m: memberId, s: 'completed' }).getRawOne()) as { total: string | number };
    return Number(row.total);
  }

  private async l1Sales(memberId: number): Promise<number> {
    const row = (await this.ds.getRepository(Commission).createQueryBuilder('c').select('COALESCE(SUM(c.base), 0)', 'total').where('c.distributor_member_id = :m AND c.level = 1 AND c.status <> :r', { m: memberId, r: 'reversed' }).getRawOne()) as { total: string | number };
    return Number(row.total);
  }
}
