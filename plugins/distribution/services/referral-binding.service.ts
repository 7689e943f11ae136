import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { TransactionRunner } from '../../../core/database/transaction.js';
import { Order } from '../../../core/order/entities/order.entity.js';
import { BindingEvent } from '../entities/binding-event.entity.js';
import { Distributor } from '../entities/distributor.entity.js';
import { PendingReferral } from '../entities/pending-referral.entity.js';
import { ReferralBinding } from '../entities/referral-binding.entity.js';
import { DistributionSettingsSource } from './settings.provider.js';

export type BindOutcome =
  | 'bound' | 'rebound' | 'unchanged' | 'pending'
  | 'unknown_code' | 'self' | 'cycle' | 'locked' | 'already_bound' | 'protected' | 'not_new';

/** Guards a walk up a chain against corrupted data; real chains are far shorter. */
const MAX_WALK = 100_000;

/**
 * Referral binding (绑定关系) by the merchant's rules. A member can never be their own upline,
 * directly or through a cycle of any length; a distributor's own upline never changes.
 */
@Injectable()
export class ReferralBindingService {
  private readonly tx: TransactionRunner;

  constructor(@InjectDataSource() private readonly ds: DataSource, private readonly settings: DistributionSettingsSource) {
    this.tx = new TransactionRunner(ds);
  }

  /** A member arrived through a distributor's link or QR (code) — bind now or remember for the first paid order. */
  async recordReferral(memberId: number, referralCode: string, source: string, now = new Date()): Promise<BindOutcome> {
    const distributor = await this.ds.getRepository(Distributor).findOneBy({ referralCode, status: 'active' });
    if (!distributor) return 'unknown_code';
    if (distributor.memberId === memberId) return 'self';
    if (this.settings.current().bindOn === 'first_paid_order') {
      const repo = this.ds.getRepository(PendingReferral);
      const existing = await repo.findOneBy({ memberId });
      if (existing) await repo.update({ id: existing.id }, { distributorMemberId: distributor.memberId, source });
      else await repo.insert({ memberId, distributorMemberId: distributor.memberId, source }).catch(() => undefined);
      return 'pending';
    }
    return this.bind(memberId, distributor.memberId, source, now);
  }

  /** Called when a member's first order is paid under the bind-on-first-paid-order rule. */
  async bindPending(memberId: number, now = new Date()): Promise<BindOutcome | null> {
    const pending = await this.ds.getRepository(PendingReferral).findOneBy({ memberId });
    if (!pending) return null;
    const outcome = await this.bind(memberId, pending.distributorMemberId, pending.source, now, { skipNewMemberCheck: true });
    await this.ds.getRepository(PendingReferral).delete({ id: pending.id });
    return outcome;
  }

  async bind(memberId: number, uplineId: number, source: string, now = new Date(), opts: { skipNewMemberCheck?: boolean } = {}): Promise<BindOutcome> {
    if (memberId === uplineId) return 'self';
    const s = this.settings.current();
    try {
      return await this.tx.run(async ({ manager }) => {
        const existing = await manager.findOneBy(ReferralBinding, { memberId });
        if (existing) {
          if (existing.upline1Id === uplineId) return 'unchanged';
          if (existing.locked) return 'locked';
          const live = !existing.expiresAt || existing.expiresAt > now;
          if (s.bindingRule === 'permanent' && live) return 'already_bound';
          if (s.bindingRule === 'expiring' && live) return 'already_bound';
          if (s.bindingRule === 'last_click' && existing.protectedUntil && existing.protectedUntil > now) return 'protected';
        } else if (s.bindWho === 'new_members' && !opts.skipNewMemberCheck && (await manager.countBy(Order, { memberId })) > 0) {
          return 'not_new';
        }
        if (await this.wouldCycle(manager, memberId, uplineId)) return this.log(memberId, existing?.upline1Id ?? null, uplineId, 'refused:cycle', manager, 'cycle');
        const upline = await manager.findOneBy(ReferralBinding, { memberId: uplineId });
        const isDistributor = (await manager.countBy(Distributor, { memberId, status: 'active' })) > 0;
        const row = {
          upline1Id: uplineId, upline2Id: upline?.upline1Id ?? null, upline3Id: upline?.upline2Id ?? null, boundAt: now, source,
          expiresAt: s.bindingRule === 'expiring' ? new Date(now.getTime() + s.bindingDays * 86_400_000) : null,
          protectedUntil: s.bindingRule === 'last_click' && s.protectionDays > 0 ? new Date(now.getTime() + s.protectionDays * 86_400_000) : null,
          locked: isDistributor,
        };
        if (existing) await manager.update(ReferralBinding, { id: existing.id }, row);
        else await manager.insert(ReferralBinding, { memberId, ...row });
        await manager.insert(BindingEvent, { memberId, fromUplineId: existing?.upline1Id ?? null, toUplineId: uplineId, action: existing ? 'rebound' : 'bound' });
        return existing ? 'rebound' : 'bound';
      });
    } catch (err) {
      // a concurrent first binding of the same member won the unique(member_id) race
      if (await this.ds.getRepository(ReferralBinding).findOneBy({ memberId })) return 'already_bound';
      throw err;
    }
  }

  /** The live binding of a member (expired bindings count as none). */
  async bindingOf(memberId: number, manager: EntityManager = this.ds.manager, now = new Date()): Promise<ReferralBinding | null> {
    const b = await manager.findOneBy(ReferralBinding, { memberId });
    return b && (!b.expiresAt || b.expiresAt > now) ? b : null;
  }

  /** Called when a member becomes a distributor: their own upline is fixed from now on. */
  async lock(manager: EntityManager, memberId: number): Promise<void> {
    await manager.update(ReferralBinding, { memberId }, { locked: true, expiresAt: null, protectedUntil: null });
  }

  /**
   * True if `uplineId` is `memberId` or has `memberId` anywhere above it. Each binding carries its
   * next three ancestors (kept exact because uplines are locked distributors), so the walk reads one
   * row per three levels; a null third ancestor means the chain ends within the copies.
   */
  private async wouldCycle(manager: EntityManager, memberId: number, uplineId: number): Promise<boolean> {
    let current = uplineId;
    for (let steps = 0; steps < MAX_WALK; steps++) {
      if (current === memberId) return true;
      const b = await manager.findOneBy(ReferralBinding, { memberId: current });
      if (!b) return false;
      if (b.upline1Id === memberId || b.upline2Id === memberId || b.upline3Id === memberId) return true;
      if (b.upline3Id === null) return false;
      current = b.upline3Id;
    }
    return true; // a chain this long is corrupt; refuse rather than risk a cycle
  }

  private async log(memberId: number, from: number | null, to: number | null, action: string, manager: EntityManager = this.ds.manager, outcome?: BindOutcome): Promise<BindOutcome> {
    await manager.insert(BindingEvent, { memberId, fromUplineId: from, toUplineId: to, action });
    return outcome ?? (action.replace('refused:', '') as BindOutcome);
  }
}
