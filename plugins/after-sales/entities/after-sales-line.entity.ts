import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

/** A line of a request: how much of an order line is asked back (and, for returns, how many pieces). */
@Entity('as_request_line')
export class AfterSalesLine extends BaseEntity {
  @Index()
  @Column({ type: 'int' })
  requestId: number;

  @Column({ type: 'int' })
  orderLineId: number;

  /**
   * The order line id while the request is open, null once it is closed: the unique index allows one
   * open request per order line, also under concurrent requests.
   */
  @Index({ unique: true })
  @Column({ type: 'int', nullable: true })
  openLineId: number | null;

  @Column({ type: 'int' })
  amount: number;

  @Column({ type: 'int' })
  quantity: number;

  @Column({ type: 'varchar', length: 120 })
  title: string;
}
