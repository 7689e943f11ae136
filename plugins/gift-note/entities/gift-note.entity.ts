import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

@Entity('gift_note')
export class GiftNote extends BaseEntity {          // id, created_at, updated_at
  @Index({ unique: true })
  @Column({ type: 'int' })
  orderId: number;                                  // core order id

  @Column({ type: 'int' })
  memberId: number;

  @Column({ type: 'varchar', length: 500 })
  text: string;

  @Column({ type: 'datetime', nullable: true })
  lockedAt: Date | null;                            // set when the order ships
}
