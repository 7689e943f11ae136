import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../core/plugin/index.js';

export type ImportSourceKind = 'csv' | 'top' | 'item-url';

/**
 * draft     uploaded / fetched, preview ready, waiting for the merchant to start
 * queued    started, waiting for an instance to claim it
 * running   claimed by the instance in lease_owner until lease_until (renewed while it works)
 * done      every position processed
 * cancelled stopped by the merchant (what was imported stays)
 * failed    stopped by a problem that affects every row (expired session, unreadable file); can be resumed
 */
export type ImportStatus = 'draft' | 'queued' | 'running' | 'done' | 'cancelled' | 'failed';

export interface ImportOptions {
  /** Listing of imported products: follow Taobao (on sale → listed), or list / leave unlisted all. */
  listing?: 'as-taobao' | 'listed' | 'unlisted';
  /** Category for items whose Taobao categories are not mapped. */
  defaultCategoryId?: number | null;
  /** item-url imports: the pasted URLs. */
  urls?: string[];
  /** top imports: items per page of taobao.items.onsale.get. */
  pageSize?: number;
}

/** One import run: its source, where it is, and what happened so far. */
@Entity('taobao_import')
@Index(['status', 'leaseUntil'])
export class TaobaoImport extends BaseEntity {
  @Column({ type: 'varchar', length: 16 })
  source: ImportSourceKind;

  @Column({ type: 'varchar', length: 16 })
  status: ImportStatus;

  /** The uploaded file's name, or a label ("TOP API", "3 URLs"). */
  @Column({ type: 'varchar', length: 255, default: '' })
  label: string;

  @Column({ type: 'simple-json' })
  options: ImportOptions;

  /** The preview (JSON, kept under 60 KB). */
  @Column({ type: 'text', nullable: true })
  preview: string | null;

  /** Items in the source, when known. */
  @Column({ type: 'int', nullable: true })
  total: number | null;

  /** Positions committed: the next run starts here. */
  @Column({ type: 'int', default: 0 })
  position: number;

  @Column({ type: 'int', default: 0 })
  createdCount: number;

  @Column({ type: 'int', default: 0 })
  updatedCount: number;

  /** Rows not imported (unreadable, invalid). */
  @Column({ type: 'int', default: 0 })
  skippedCount: number;

  /** Rows whose save failed. */
  @Column({ type: 'int', default: 0 })
  failedCount: number;

  /** Rows imported with warnings (partly imported). */
  @Column({ type: 'int', default: 0 })
  warnedCount: number;

  @Column({ type: 'int', default: 0 })
  imagesDone: number;

  @Column({ type: 'int', default: 0 })
  imagesFailed: number;

  /** Instance that runs the import, while lease_until is in the future. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  leaseOwner: string | null;

  @Column({ type: 'datetime', nullable: true })
  leaseUntil: Date | null;

  @Column({ type: 'boolean', default: false })
  cancelRequested: boolean;

  /** Why the import failed (for the whole import; row problems are in taobao_import_row). */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  error: string | null;

  @Column({ type: 'datetime', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  finishedAt: Date | null;

  /** Admin who created it. */
  @Column({ type: 'int', nullable: true })
  adminId: number | null;
}
