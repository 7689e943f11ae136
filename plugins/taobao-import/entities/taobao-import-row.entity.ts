import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

/** created / updated: imported (with `warnings` when partly); skipped: not imported (the row is unusable); failed: saving failed. */
export type RowOutcome = 'created' | 'updated' | 'skipped' | 'failed';

/** What happened to one row (item) of an import, with the reasons. Written with the import's position, in one transaction. */
@Entity('taobao_import_row')
@Index(['importId', 'rowNo'], { unique: true })
@Index(['importId', 'outcome'])
export class TaobaoImportRow extends BaseEntity {
  @Column({ type: 'int' })
  importId: number;

  /** Row of the CSV as a spreadsheet numbers it (header rows count), or position + 1 for API sources. */
  @Column({ type: 'int' })
  rowNo: number;

  @Column({ type: 'varchar', length: 32, nullable: true })
  numId: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  outerId: string | null;

  @Column({ type: 'varchar', length: 120, default: '' })
  title: string;

  @Column({ type: 'varchar', length: 8 })
  outcome: RowOutcome;

  /** Imported with something left out or changed (see message). */
  @Column({ type: 'boolean', default: false })
  warnings: boolean;

  /** Core product id, when imported. */
  @Column({ type: 'int', nullable: true })
  productId: number | null;

  /** Reasons, separated by "; ". */
  @Column({ type: 'varchar', length: 2000, default: '' })
  message: string;
}
