import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../database/base.entity.js';

@Entity('product')
@Index(['isListed', 'sortOrder'])
export class Product extends BaseEntity {
  @Index()
  @Column({ type: 'int', nullable: true })
  categoryId: number | null;

  @Column({ type: 'varchar', length: 120 })
  title: string;

  @Column({ type: 'varchar', length: 200, default: '' })
  subtitle: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 120 })
  slug: string;

  /** Image URLs, first is the cover. */
  @Column({ type: 'simple-json' })
  images: string[];

  /** Rich description, stored already sanitized. */
  @Column({ type: 'text' })
  descriptionHtml: string;

  /** Spec dimension names, e.g. ["颜色", "尺码"]; empty for a single-variant product. */
  @Column({ type: 'simple-json' })
  specNames: string[];

  @Column({ type: 'boolean', default: false })
  isListed: boolean;

  @Column({ type: 'boolean', default: false })
  isFeatured: boolean;

  @Column({ type: 'int', default: 0 })
  sortOrder: number;

  /** Lowest variant price in fen, kept in step with variants for listing and sorting. */
  @Column({ type: 'int', default: 0 })
  minPrice: number;

  @Column({ type: 'int', default: 0 })
  salesCount: number;

  @Column({ type: 'int', default: 0 })
  shippingTemplateId: number;
}
