import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { LedgerEntry, type LedgerBucket } from '../entities/ledger-entry.entity.js';

export interface Balances {
  frozen: number;
  available: number;
  withdrawing: number;
  withdrawn: number;
}

export interface Movement {
  bucket: LedgerBucket;
  amount: number;
}

/**
 * The append-only ledger. `post` writes a movement (one or more entries that belong together)
 * under one idempotency key prefix; posting the same key again writes nothing.
 */
@Injectable()
export class LedgerService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Returns false when this movement was already posted. Must run inside the caller's transaction. */
  async post(manager: EntityManager, distributorMemberId: number, key: string, kind: string, ref: string, movements: Movement[], note = ''): Promise<boolean> {
    const first = `${key}#0`;
    if (await manager.findOneBy(LedgerEntry, { idempotencyKey: first })) return false;
    await manager.insert(LedgerEntry, movements.map((m, i) => ({ distributorMemberId, bucket: m.bucket, amount: m.amount, kind, ref, idempotencyKey: `${key}#${i}`, note: note.slice(0, 200) })));
    return true;
  }

  /**
   * Posts single-entry movements whose keys are new by construction (they name rows created in the
   * same transaction), in one INSERT. The unique index still refuses a duplicate.
   */
  async postNew(manager: EntityManager, entries: Array<{ distributorMemberId: number; key: string; kind: string; ref: string; bucket: LedgerBucket; amount: number; note?: string }>): Promise<void> {
    if (!entries.length) return;
    await manager.insert(LedgerEntry, entries.map((e) => ({ distributorMemberId: e.distributorMemberId, bucket: e.bucket, amount: e.amount, kind: e.kind, ref: e.ref, idempotencyKey: `${e.key}#0`, note: (e.note ?? '').slice(0, 200) })));
  }

  async balances(distributorMemberId: number, manager: EntityManager = this.ds.manager): Promise<Balances> {
    const rows = (await manager.createQueryBuilder(LedgerEntry, 'l').select('l.bucket', 'bucket').addSelect('SUM(l.amount)', 'total').where('l.distributor_member_id = :id', { id: distributorMemberId }).groupBy('l.bucket').getRawMany()) as Array<{ bucket: LedgerBucket; total: string | number }>;
    const out: Balances = { frozen: 0, available: 0, withdrawing: 0, withdrawn: 0 };
    for (const r of rows) out[r.bucket] = Number(r.total);
    return out;
  }

  async entries(filter: { distributorMemberId?: number; kind?: string; from?: Date; to?: Date }, page = 1, pageSize = 50): Promise<{ items: LedgerEntry[]; total: number }> {
    const qb = this.ds.getRepository(LedgerEntry).createQueryBuilder('l').orderBy('l.id', 'DESC').skip((page - 1) * pageSize).take(pageSize);
    if (filter.distributorMemberId) qb.andWhere('l.distributor_member_id = :d', { d: filter.distributorMemberId });
    if (filter.kind) qb.andWhere('l.kind = :k', { k: filter.kind });
    if (filter.from) qb.andWhere('l.created_at >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('l.created_at < :to', { to: filter.to });
    const [items, total] = await qb.getManyAndCount();
    return { items, total };
  }
}
