import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

/** cid: a Taobao category (宝贝类目); shop: one of the seller's own shop categories (店铺类目). */
export type CategoryKind = 'cid' | 'shop';

/** A remembered mapping from a Taobao category to one of ours (null: seen, not mapped). */
@Entity('taobao_category_map')
@Index(['kind', 'taobaoId'], { unique: true })
export class TaobaoCategoryMap extends BaseEntity {
  @Column({ type: 'varchar', length: 8 })
  kind: CategoryKind;

  @Column({ type: 'varchar', length: 32 })
  taobaoId: string;

  /** A name for it, when known (TOP) or given by the merchant. */
  @Column({ type: 'varchar', length: 64, default: '' })
  name: string;

  /** Core category id. */
  @Column({ type: 'int', nullable: true })
  categoryId: number | null;
}
