import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { CatalogService } from '../../../core/catalog/catalog.service.js';
import type { ProductInput } from '../../../core/catalog/dto/product.dto.js';
import { Category } from '../../../core/catalog/entities/category.entity.js';
import { Product } from '../../../core/catalog/entities/product.entity.js';
import { ProductVariant } from '../../../core/catalog/entities/product-variant.entity.js';
import { affectedRows, InjectPluginSettings, TransactionRunner, type PluginSettings } from '../../../core/plugin/index.js';
import { TaobaoCategoryMap } from '../entities/taobao-category-map.entity.js';
import { TaobaoImportRow, type RowOutcome } from '../entities/taobao-import-row.entity.js';
import { TaobaoImport, type ImportOptions } from '../entities/taobao-import.entity.js';
import { TaobaoProductLink } from '../entities/taobao-product-link.entity.js';
import { mapItem, type MapResult, type ProductDraft } from '../mapping/item-mapper.js';
import { FatalSourceError, type ImportSource, type SourceImage, type SourceRow } from '../model.js';
import { PLUGIN_ID, type TaobaoImportSettings } from '../settings.js';
import { ImageStore } from './image-store.js';
import { ImportSources } from './sources.service.js';

export interface RowResult {
  rowNo: number;
  numId: string | null;
  outerId: string | null;
  title: string;
  outcome: RowOutcome;
  warnings: boolean;
  productId: number | null;
  message: string;
  imagesDone: number;
  imagesFailed: number;
  /** The link to write with the batch (created or updated product). */
  link?: { productId: number; numId: string | null; outerId: string | null; exists: boolean; changed: boolean };
}

/** Test and tool knobs for one run. */
export interface RunOptions {
  /** Stop after committing this many rows (counted in this run). */
  stopAfterRows?: number;
  /** With stopAfterRows: process this many more rows without committing them, then stop holding the lease, as a killed process would. */
  crashAfterUncommitted?: number;
}

class LeaseLost extends Error {}

const BATCH_ROWS = 50;
const BATCH_MS = 2000;
/** Rows of a batch in flight at once: SQLite has one connection (more only overlaps picture I/O), MySQL a pool. */
const ROW_CONCURRENCY = { sqlite: 4, mysql: 8 } as const;

/** `[...s]` keeps surrogate pairs whole; varchar lengths count characters. */
function clip(s: string | null | undefined, max: number): string {
  if (!s) return '';
  return s.length <= max ? s : [...s].slice(0, max).join('');
}

/** The slug a new product gets: stable per item, so a product created just before a crash is found again on resume. */
export function slugFor(draft: Pick<ProductDraft, 'numId' | 'outerId'>, importId: number, rowNo: number): string {
  if (draft.numId) return `tb-${draft.numId}`;
  if (draft.outerId) return `tb-o-${createHash('sha1').update(draft.outerId).digest('hex').slice(0, 12)}`;
  return `tb-i${importId}-r${rowNo}`;
}

/**
 * Runs imports in the background, one at a time per instance.
 *
 * An import is claimed with a lease (`lease_owner`, `lease_until`) by a conditional UPDATE, so two
 * instances never run the same import. The lease is renewed while the import runs; when an instance
 * dies, the lease runs out and the next `taobao-import:resume` tick on any instance claims the import
 * and resumes at `position`, the first row not committed. Row results and the new position are
 * committed together, every {@link BATCH_ROWS} rows; products written after the last commit are found
 * again on resume (by the link table or their stable slug), so nothing is duplicated.
 */
@Injectable()
export class ImportRunner implements BeforeApplicationShutdown {
  private readonly logger = new Logger('TaobaoImport');
  readonly instanceId = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly active = new Map<number, { abort: AbortController; done: Promise<void>; cancelled: boolean }>();
  private stopping = false;
  private readonly tx: TransactionRunner;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly catalog: CatalogService,
    private readonly images: ImageStore,
    private readonly sources: ImportSources,
    @InjectPluginSettings(PLUGIN_ID) private readonly settings: PluginSettings<TaobaoImportSettings>,
  ) {
    this.tx = new TransactionRunner(ds);
  }

  /** Imports this instance is running now. */
  runningIds(): number[] {
    return [...this.active.keys()];
  }

  /** Resolves when this instance runs no import. */
  async idle(): Promise<void> {
    while (this.active.size) await Promise.allSettled([...this.active.values()].map((a) => a.done));
  }

  /** Claims an import that is queued, or running under a lease that ran out, and runs it in the background. */
  async kick(opts: { now?: Date } = {}): Promise<number[]> {
    if (this.stopping || this.active.size) return [];
    const now = opts.now ?? new Date();
    const candidates = await this.ds.getRepository(TaobaoImport).createQueryBuilder('i')
      .where('i.status IN (:...statuses)', { statuses: ['queued', 'running'] })
      .andWhere('(i.lease_until IS NULL OR i.lease_until < :now)', { now })
      .orderBy('i.id', 'ASC').limit(5).getMany();
    for (const c of candidates) {
      if (this.active.size) break;
      if (await this.claim(c.id, now)) {
        this.spawn(c.id, {});
        return [c.id];
      }
    }
    return [];
  }

  /** Claims and runs one import to the end (or to the RunOptions stop), awaited. False when another instance holds it. */
  async runNow(id: number, opts: RunOptions = {}, now = new Date()): Promise<boolean> {
    if (this.active.has(id) || !(await this.claim(id, now))) return false;
    await this.spawn(id, opts);
    return true;
  }

  /** Stops a run on this instance at the next row (the cancel flag reaches other instances through the database). */
  abortLocal(id: number): void {
    const a = this.active.get(id);
    if (a) {
      a.cancelled = true;
      a.abort.abort();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const a of this.active.values()) a.abort.abort();
    await this.idle();
  }

  private async claim(id: number, now: Date): Promise<boolean> {
    const { leaseSeconds } = await this.settings.get();
    const res = await this.ds.createQueryBuilder().update(TaobaoImport)
      .set({ leaseOwner: this.instanceId, leaseUntil: new Date(now.getTime() + leaseSeconds * 1000), status: 'running' })
      .where('id = :id', { id })
      .andWhere('status IN (:...statuses)', { statuses: ['queued', 'running'] })
      .andWhere('(lease_until IS NULL OR lease_until < :now)', { now })
      .execute();
    return affectedRows(res) === 1;
  }

  private spawn(id: number, opts: RunOptions): Promise<void> {
    const abort = new AbortController();
    const entry = { abort, cancelled: false, done: Promise.resolve() };
    entry.done = this.run(id, abort, opts, () => entry.cancelled)
      .catch((err: unknown) => this.logger.error(`import ${id}: ${(err as Error).stack ?? String(err)}`))
      .finally(() => {
        this.active.delete(id);
        // the next queued import, if any, starts now rather than at the next tick
        if (!this.stopping && opts.stopAfterRows === undefined) setImmediate(() => void this.kick().catch(() => undefined));
      });
    this.active.set(id, entry);
    return entry.done;
  }

  private async run(id: number, abort: AbortController, opts: RunOptions, cancelledLocally: () => boolean): Promise<void> {
    const repo = this.ds.getRepository(TaobaoImport);
    const job = await repo.findOneByOrFail({ id });
    const settings = await this.settings.get();
    if (!job.startedAt) await repo.update({ id }, { startedAt: new Date() });
    let cancelled = job.cancelRequested;
    let leaseLost = false;
    let lastRenew = Date.now();
    // heartbeat: renew the lease, and notice a cancel made through another instance
    const heartbeat = setInterval(() => {
      void (async () => {
        const row = await repo.findOne({ where: { id }, select: { id: true, cancelRequested: true } });
        if (row?.cancelRequested) {
          cancelled = true;
          abort.abort();
        }
        if (Date.now() - lastRenew >= (settings.leaseSeconds * 1000) / 3) {
          const res = await this.ds.createQueryBuilder().update(TaobaoImport).set({ leaseUntil: new Date(Date.now() + settings.leaseSeconds * 1000) })
            .where('id = :id AND lease_owner = :me', { id, me: this.instanceId }).execute();
          lastRenew = Date.now();
          if (affectedRows(res) === 0) {
            leaseLost = true;
            abort.abort();
          }
        }
      })().catch((err: unknown) => this.logger.warn(`import ${id} heartbeat: ${(err as Error).message}`));
    }, 1000);
    heartbeat.unref();

    let source: ImportSource | null = null;
    let committedThisRun = 0;
    const commit = async (results: RowResult[]): Promise<void> => {
      if (!results.length) return;
      await this.commit(id, results, settings.leaseSeconds, job.source);
      lastRenew = Date.now();
      committedThisRun += results.length;
    };
    try {
      if (cancelled) throw new Cancelled();
      source = await this.sources.open(job);
      if (job.total === null) {
        const total = await source.count(abort.signal);
        if (total !== null) await repo.update({ id }, { total });
      }
      const ctx = await this.context(job.options);
      const rows = source.rows(job.position, abort.signal)[Symbol.asyncIterator]();
      let exhausted = false;
      let stoppedEarly = false;
      while (!exhausted && !abort.signal.aborted) {
        // a batch: up to BATCH_ROWS rows (fewer when reading is slow, as with API sources), processed, then committed
        let limit = BATCH_ROWS;
        if (opts.stopAfterRows !== undefined) {
          limit = Math.min(limit, opts.stopAfterRows - committedThisRun);
          if (limit <= 0) {
            if (opts.crashAfterUncommitted === undefined) {
              stoppedEarly = true;
              break;
            }
            // a killed process: what it wrote after its last commit stays, and so does its lease until it runs out
            const extra: SourceRow[] = [];
            for (let k = 0; k < opts.crashAfterUncommitted; k++) {
              const next = await rows.next();
              if (next.done) break;
              extra.push(next.value);
            }
            await this.processBatch(job, source, extra, ctx);
            await rows.return?.();
            return;
          }
        }
        const batch: SourceRow[] = [];
        const started = Date.now();
        let readError: unknown = null;
        while (batch.length < limit && Date.now() - started < BATCH_MS && !abort.signal.aborted) {
          let next: IteratorResult<SourceRow>;
          try {
            next = await rows.next();
          } catch (err) {
            readError = err; // the rows read before it are still imported and committed
            break;
          }
          if (next.done) {
            exhausted = true;
            break;
          }
          batch.push(next.value);
        }
        if (batch.length) {
          const results = await this.processBatch(job, source, batch, ctx);
          if (leaseLost) break;
          // a cancel or shutdown mid-batch: the rows done are committed, the rest run again on resume
          await commit(results);
        }
        if (readError) throw readError;
        if (!batch.length) break;
        // let requests in between batches (on SQLite every query resolves without I/O)
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (!exhausted) await rows.return?.().catch(() => undefined);
      if (leaseLost) return;
      if (cancelled || cancelledLocally()) throw new Cancelled();
      if (abort.signal.aborted || stoppedEarly) {
        await this.release(id, {}); // shutdown (or a test's stop): another instance, or the next start, resumes it
        return;
      }
      await this.release(id, { status: 'done', finishedAt: new Date() });
      await this.sources.removeWork(id).catch(() => undefined);
      this.catalog.invalidate();
    } catch (err) {
      if (leaseLost || err instanceof LeaseLost) {
        this.logger.warn(`import ${id}: lease lost; another instance continues it`);
        return;
      }
      if (err instanceof Cancelled || cancelled || cancelledLocally()) {
        await this.release(id, { status: 'cancelled', finishedAt: new Date() });
        await this.sources.removeWork(id).catch(() => undefined);
        this.catalog.invalidate();
        return;
      }
      if (abort.signal.aborted) {
        // shutting down while a call was in flight: not a failure, another instance (or the next start) resumes
        await this.release(id, {});
        return;
      }
      const message = err instanceof FatalSourceError ? err.message : `the import stopped: ${(err as Error).message}`;
      if (!(err instanceof FatalSourceError)) this.logger.error(`import ${id}: ${(err as Error).stack ?? String(err)}`);
      await this.release(id, { status: 'failed', error: clip(message, 1000), finishedAt: new Date() });
    } finally {
      clearInterval(heartbeat);
      await source?.close().catch(() => undefined);
    }
  }

  /** Ends this instance's hold on the import (only while it still holds it). */
  private async release(id: number, set: Partial<Pick<TaobaoImport, 'status' | 'error' | 'finishedAt'>>): Promise<void> {
    await this.ds.createQueryBuilder().update(TaobaoImport).set({ ...set, leaseOwner: null, leaseUntil: null })
      .where('id = :id AND lease_owner = :me', { id, me: this.instanceId }).execute();
  }

  /** Row results and the new position, in one transaction, only while this instance holds the lease. */
  private async commit(id: number, batch: RowResult[], leaseSeconds: number, source: string): Promise<void> {
    const sum = (f: (r: RowResult) => number) => batch.reduce((s, r) => s + f(r), 0);
    const created = sum((r) => (r.outcome === 'created' ? 1 : 0));
    const updated = sum((r) => (r.outcome === 'updated' ? 1 : 0));
    const skipped = sum((r) => (r.outcome === 'skipped' ? 1 : 0));
    const failed = sum((r) => (r.outcome === 'failed' ? 1 : 0));
    const warned = sum((r) => (r.warnings && (r.outcome === 'created' || r.outcome === 'updated') ? 1 : 0));
    const imagesDone = sum((r) => r.imagesDone);
    const imagesFailed = sum((r) => r.imagesFailed);
    await this.tx.run(async ({ manager }) => {
      const res = await manager.createQueryBuilder().update(TaobaoImport)
        .set({
          position: () => `position + ${batch.length}`,
          createdCount: () => `created_count + ${created}`,
          updatedCount: () => `updated_count + ${updated}`,
          skippedCount: () => `skipped_count + ${skipped}`,
          failedCount: () => `failed_count + ${failed}`,
          warnedCount: () => `warned_count + ${warned}`,
          imagesDone: () => `images_done + ${imagesDone}`,
          imagesFailed: () => `images_failed + ${imagesFailed}`,
          leaseUntil: new Date(Date.now() + leaseSeconds * 1000),
        })
        .where('id = :id AND lease_owner = :me', { id, me: this.instanceId })
        .execute();
      if (affectedRows(res) !== 1) throw new LeaseLost();
      const links = new Map<number, NonNullable<RowResult['link']>>();
      for (const r of batch) {
        if (!r.link) continue;
        const before = links.get(r.link.productId);
        links.set(r.link.productId, { ...r.link, exists: r.link.exists || !!before?.exists, changed: r.link.changed || !!before?.changed });
      }
      const fresh = [...links.values()].filter((l) => !l.exists);
      for (let i = 0; i < fresh.length; i += 100) {
        await manager.createQueryBuilder().insert().into(TaobaoProductLink)
          .values(fresh.slice(i, i + 100).map((l) => ({ productId: l.productId, numId: l.numId, outerId: l.outerId, source, lastImportId: id })))
          .orIgnore().updateEntity(false).execute();
      }
      const known = [...links.values()].filter((l) => l.exists);
      for (let i = 0; i < known.length; i += 500) {
        await manager.createQueryBuilder().update(TaobaoProductLink).set({ lastImportId: id, source })
          .where('product_id IN (:...ids)', { ids: known.slice(i, i + 500).map((l) => l.productId) }).execute();
      }
      // a re-created item (new Taobao id) or a new 商家编码 moves the link along
      for (const l of known) if (l.changed) await manager.update(TaobaoProductLink, { productId: l.productId }, { numId: l.numId, outerId: l.outerId });
      for (let i = 0; i < batch.length; i += 100) {
        await manager.insert(TaobaoImportRow, batch.slice(i, i + 100).map((r) => ({
          importId: id, rowNo: r.rowNo, numId: clip(r.numId, 32) || null, outerId: clip(r.outerId, 64) || null, title: clip(r.title, 120),
          outcome: r.outcome, warnings: r.warnings, productId: r.productId, message: clip(r.message, 2000),
        })));
      }
    });
  }

  /** Category mappings and the listing rule, loaded once per run. */
  private async context(options: ImportOptions): Promise<RunContext> {
    const maps = await this.ds.getRepository(TaobaoCategoryMap).find();
    const existing = new Set((await this.ds.getRepository(Category).find({ select: { id: true } })).map((c) => c.id));
    const categories = new Map<string, number>();
    for (const m of maps) if (m.categoryId && existing.has(m.categoryId)) categories.set(`${m.kind}:${m.taobaoId}`, m.categoryId);
    const settings = await this.settings.get();
    const fallback = options.defaultCategoryId && existing.has(options.defaultCategoryId) ? options.defaultCategoryId : null;
    return { categories, defaultCategoryId: fallback, listing: options.listing ?? settings.listing };
  }

  /**
   * A batch of rows: what they matched before is read in a few queries for the whole batch, then rows
   * are processed a few at a time (pictures of one row are read while another row is saved). Rows that
   * share a Taobao item id or 商家编码 run one after the other, so a duplicate row updates what the
   * first created. Results come back in row order.
   */
  async processBatch(job: Pick<TaobaoImport, 'id' | 'source'>, source: ImportSource, rows: SourceRow[], ctx: RunContext): Promise<RowResult[]> {
    const mapped = rows.map((row) => ({ row, mapped: row.item ? mapItem(row.item) : null }));
    const known = await this.prefetch(mapped.flatMap((m) => (m.mapped?.ok ? [{ draft: m.mapped.draft, rowNo: m.row.rowNo }] : [])), job.id);
    const busy = new Map<string, Promise<unknown>>();
    return mapLimit(mapped, this.tx.isSqlite ? ROW_CONCURRENCY.sqlite : ROW_CONCURRENCY.mysql, async ({ row, mapped: m }) => {
      const keys = m?.ok ? [m.draft.numId && `n:${m.draft.numId}`, m.draft.outerId && `o:${m.draft.outerId}`].filter((k): k is string => !!k) : [];
      const before = keys.map((k) => busy.get(k)).filter(Boolean);
      const work = Promise.all(before).then(() => this.processRow(job, source, row, m, known, ctx));
      for (const k of keys) busy.set(k, work);
      return work;
    });
  }

  /** One row: find the product it was before, store the pictures, create or update. Never throws. */
  private async processRow(job: Pick<TaobaoImport, 'id' | 'source'>, source: ImportSource, row: SourceRow, mapped: MapResult | null, known: Known, ctx: RunContext): Promise<RowResult> {
    const base = { rowNo: row.rowNo, imagesDone: 0, imagesFailed: 0, productId: null, warnings: false };
    if (row.error !== undefined) return { ...base, numId: row.numId ?? null, outerId: null, title: row.title ?? '', outcome: 'skipped', message: row.error };
    mapped ??= mapItem(row.item);
    const ident = { numId: row.item.numId, outerId: row.item.outerId, title: row.item.title.trim() };
    if (!mapped.ok) return { ...base, ...ident, outcome: 'skipped', message: [mapped.reason, ...mapped.warnings].join('; ') };
    const { draft } = mapped;
    const warnings = [...mapped.warnings];
    let imagesDone = 0;
    let imagesFailed = 0;
    try {
      const existing = this.match(draft, known, job.id, row.rowNo);

      // pictures: each distinct reference read and stored once
      const stored = new Map<string, Promise<string | null>>();
      const store = (img: SourceImage): Promise<string | null> => {
        const key = img.kind === 'file' ? `f:${img.name}` : `u:${img.url}`;
        let p = stored.get(key);
        if (!p) {
          p = (async () => {
            // not aborted with the run: a batch that started finishes whole (downloads have their own timeout)
            const read = await source.readImage(img);
            const saved = 'data' in read ? await this.images.save(read.data) : read;
            if ('url' in saved) {
              imagesDone++;
              return saved.url;
            }
            imagesFailed++;
            warnings.push('data' in read ? `picture ${img.kind === 'file' ? img.name : img.url}: ${saved.error}` : saved.error);
            return null;
          })();
          stored.set(key, p);
        }
        return p;
      };
      const imageUrls = (await mapLimit(draft.images, 4, store)).filter((u): u is string => !!u);
      const variantUrls = await mapLimit(draft.variants, 4, (v) => (v.image ? store(v.image) : Promise.resolve(null)));
      if (!draft.images.length) warnings.push('no pictures');

      const categoryId = this.categoryFor(draft, ctx);
      const input: ProductInput = {
        title: draft.title,
        subtitle: draft.subtitle,
        images: imageUrls,
        descriptionHtml: draft.descriptionHtml,
        specNames: draft.specNames,
        variants: draft.variants.map((v, i) => ({ specValues: v.specValues, price: v.price, stock: v.stock, skuCode: v.skuCode, imageUrl: variantUrls[i] ?? undefined })),
      };
      let productId: number;
      let outcome: RowOutcome;
      if (existing) {
        const current = await this.ds.getRepository(Product).findOneBy({ id: existing });
        if (!current) throw new Error(`product ${existing} vanished`);
        // keep what the merchant decided in the shop: listing, and category/images when the import has none
        input.categoryId = categoryId ?? current.categoryId ?? undefined;
        if (!imageUrls.length && current.images.length) {
          input.images = current.images;
          if (draft.images.length) warnings.push('kept the current pictures');
        }
        await this.catalog.updateProduct(existing, input);
        productId = existing;
        outcome = 'updated';
      } else {
        input.categoryId = categoryId ?? undefined;
        input.slug = slugFor(draft, job.id, row.rowNo);
        input.isListed = ctx.listing === 'listed' ? true : ctx.listing === 'unlisted' ? false : draft.onSale ?? true;
        productId = (await this.catalog.createProduct(input)).id;
        outcome = 'created';
      }
      const link = this.noteLink(productId, draft, known);
      return { ...base, ...ident, outcome, productId, warnings: warnings.length > 0, message: warnings.join('; '), imagesDone, imagesFailed, link };
    } catch (err) {
      return { ...base, ...ident, outcome: 'failed', message: [`not saved: ${(err as Error).message}`, ...warnings].join('; '), imagesDone, imagesFailed };
    }
  }

  private categoryFor(draft: ProductDraft, ctx: RunContext): number | null {
    for (const sc of draft.sellerCids) {
      const id = ctx.categories.get(`shop:${sc}`);
      if (id) return id;
    }
    if (draft.cid) {
      const id = ctx.categories.get(`cid:${draft.cid}`);
      if (id) return id;
    }
    return ctx.defaultCategoryId;
  }

  /** Everything a batch can match, in five queries: links by item id and 商家编码, variants by SKU code, products by their import slug. */
  async prefetch(items: Array<{ draft: ProductDraft; rowNo: number }>, importId: number): Promise<Known> {
    const known: Known = { byNumId: new Map(), byOuterId: new Map(), bySku: new Map(), bySlug: new Map(), linkOf: new Map(), persisted: new Set() };
    const numIds = [...new Set(items.map((i) => i.draft.numId).filter((x): x is string => !!x))];
    const outerIds = [...new Set(items.map((i) => i.draft.outerId).filter((x): x is string => !!x))];
    const skus = [...new Set(items.flatMap((i) => i.draft.skuCodes))];
    const slugs = [...new Set(items.map((i) => slugFor(i.draft, importId, i.rowNo)))];
    const links = this.ds.getRepository(TaobaoProductLink);
    const found: TaobaoProductLink[] = [];
    for (const part of chunks(numIds, 500)) found.push(...(await links.find({ where: { numId: In(part) } })));
    for (const part of chunks(outerIds, 500)) found.push(...(await links.find({ where: { outerId: In(part) } })));
    const variants: Array<{ productId: number; skuCode: string | null }> = [];
    for (const part of chunks(skus, 500)) variants.push(...(await this.ds.getRepository(ProductVariant).find({ where: { skuCode: In(part) }, select: { productId: true, skuCode: true } })));
    const products: Array<{ id: number; slug: string }> = [];
    for (const part of chunks(slugs, 500)) products.push(...(await this.ds.getRepository(Product).find({ where: { slug: In(part) }, select: { id: true, slug: true } })));
    // links of the products found by SKU code or slug, and which of all these products still exist
    const more = [...new Set([...variants.map((v) => v.productId), ...products.map((p) => p.id)])].filter((pid) => !found.some((l) => l.productId === pid));
    for (const part of chunks(more, 500)) found.push(...(await links.find({ where: { productId: In(part) } })));
    const ids = [...new Set([...found.map((l) => l.productId), ...variants.map((v) => v.productId), ...products.map((p) => p.id)])];
    const alive = new Set<number>();
    for (const part of chunks(ids, 500)) for (const p of await this.ds.getRepository(Product).find({ where: { id: In(part) }, select: { id: true } })) alive.add(p.id);
    for (const l of found.sort((a, b) => a.id - b.id)) {
      if (!alive.has(l.productId)) continue;
      known.linkOf.set(l.productId, l);
      known.persisted.add(l.productId);
      if (l.numId && !known.byNumId.has(l.numId)) known.byNumId.set(l.numId, l.productId);
      if (l.outerId) known.byOuterId.set(l.outerId, [...(known.byOuterId.get(l.outerId) ?? []), l]);
    }
    for (const v of variants) if (v.skuCode && alive.has(v.productId)) known.bySku.set(v.skuCode, [...new Set([...(known.bySku.get(v.skuCode) ?? []), v.productId])]);
    for (const p of products) if (alive.has(p.id)) known.bySlug.set(p.slug, p.id);
    return known;
  }

  /** The product this item became before: by Taobao item id, 商家编码, SKU code, or (after a crash) its slug. */
  match(draft: Pick<ProductDraft, 'numId' | 'outerId' | 'skuCodes'>, known: Known, importId: number, rowNo: number): number | null {
    const compatible = (l: TaobaoProductLink | undefined) => !l || !draft.numId || !l.numId || l.numId === draft.numId;
    if (draft.numId) {
      const id = known.byNumId.get(draft.numId);
      if (id) return id;
    }
    if (draft.outerId) {
      const l = (known.byOuterId.get(draft.outerId) ?? []).find((x) => compatible(x));
      if (l) return l.productId;
    }
    for (const code of draft.skuCodes) {
      const id = (known.bySku.get(code) ?? []).find((pid) => compatible(known.linkOf.get(pid)));
      if (id) return id;
    }
    // created just before a crash, before its link was written
    const orphan = known.bySlug.get(slugFor({ numId: draft.numId, outerId: draft.outerId }, importId, rowNo));
    if (orphan && !known.linkOf.has(orphan)) return orphan;
    return null;
  }

  /**
   * Remembers which product the item became, for the rest of the batch; the link row is written with
   * the batch's results (one transaction). A crash before that commit leaves products without links:
   * the resumed run finds them by their slug.
   */
  private noteLink(productId: number, draft: ProductDraft, known: Known): NonNullable<RowResult['link']> {
    const prev = known.linkOf.get(productId);
    const numId = draft.numId ?? prev?.numId ?? null;
    const outerId = draft.outerId ?? prev?.outerId ?? null;
    const changed = !!prev && (prev.numId !== numId || prev.outerId !== outerId);
    const link = Object.assign(prev ?? new TaobaoProductLink(), { productId, numId, outerId });
    known.linkOf.set(productId, link);
    if (numId && !known.byNumId.has(numId)) known.byNumId.set(numId, productId);
    if (outerId && !(known.byOuterId.get(outerId) ?? []).some((l) => l.productId === productId)) known.byOuterId.set(outerId, [...(known.byOuterId.get(outerId) ?? []), link]);
    for (const code of draft.skuCodes) if (!(known.bySku.get(code) ?? []).includes(productId)) known.bySku.set(code, [...(known.bySku.get(code) ?? []), productId]);
    return { productId, numId, outerId, exists: known.persisted.has(productId), changed };
  }
}

/** What a batch can match (see ImportRunner.prefetch). */
export interface Known {
  byNumId: Map<string, number>;
  byOuterId: Map<string, TaobaoProductLink[]>;
  bySku: Map<string, number[]>;
  bySlug: Map<string, number>;
  linkOf: Map<number, TaobaoProductLink>;
  /** Products whose link row is in the database (the others get one inserted with the batch). */
  persisted: Set<number>;
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export interface RunContext {
  /** "cid:<id>" / "shop:<id>" → core category id. */
  categories: Map<string, number>;
  defaultCategoryId: number | null;
  listing: 'as-taobao' | 'listed' | 'unlisted';
}

class Cancelled extends Error {}

/** Maps with at most `limit` calls in flight, keeping order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
