import { Column, Entity } from 'typeorm';
import { BaseEntity } from '../../../core/database/base.entity.js';

/** A commission rate: percent in basis points of the line's paid amount, or fixed fen per unit. */
export interface Rate {
  type: 'percent' | 'fixed';
  value: number;
}

/** 普通 / 高级 …: each level has its own rates for L1-L3 and conditions to reach it. */
@Entity('dist_level')
export class DistributorLevel extends BaseEntity {
  @Column({ type: 'varchar', length: 32 })
  name: string;

  /** Higher rank = better level; upgrades only move up. */
  @Column({ type: 'int', default: 0 })
  rank: number;

  /** Rates by chain level: index 0 = L1 (direct referrer), 1 = L2, 2 = L3. */
  @Column({ type: 'simple-json' })
  rates: Rate[];

  /** Upgrade when the distributor's team (L1 members) reaches this size; null = not by team. */
  @Column({ type: 'int', nullable: true })
  upgradeTeamSize: number | null;

  /** Upgrade when the paid amount of orders that earned this distributor L1 commission reaches this (fen). */
  @Column({ type: 'int', nullable: true })
  upgradeSales: number | null;

  @Column({ type: 'boolean', default: false })
  isDefault: boolean;
}
