import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource, In } from 'typeorm';
import { CatalogService } from '../../../core/catalog/catalog.service.js';
import { Category } from '../../../core/catalog/entities/category.entity.js';
import { affectedRows, BadInputError, ConflictError, NotFoundError } from '../../../core/plugin/index.js';
import { TaobaoCategoryMap, type CategoryKind } from '../entities/taobao-category-map.entity.js';
import { TaobaoImportRow, type RowOutcome } from '../entities/taobao-import-row.entity.js';
import { TaobaoImport, type ImportOptions, type ImportSourceKind } from '../entities/taobao-import.entity.js';
import { TaobaoProductLink } from '../entities/taobao-product-link.entity.js';
import { mapItem } from '../mapping/item-mapper.js';
import { FatalSourceError, type ImportSource, type SourceFormatInfo } from '../model.js';
import { UPLOAD_CSV, UPLOAD_ZIP } from '../sources/csv/assistant-source.js';
import { parseItemUrl } from '../sources/item-url/item-url-provider.js';
import { TopSource } from '../sources/top/top-source.js';
import { ImportRunner } from './import-runner.service.js';
import { ImportSources } from './sources.service.js';

export interface PreviewSample {
  rowNo: number;
  numId: string | null;
  outerId: string | null;
  title: string;
  /** "¥99.00" or "¥89.00 – ¥129.00" */
  price: string;
  stock: number;
  specNames: string[];
  variants: string[];
  variantCount: number;
  images: number;
  imagesMissing: number;
  cid: string | null;
  sellerCids: string[];
  onSale: boolean | null;
  warnings: string[];
  problem: string | null;
}

export interface PreviewCategory {
  kind: CategoryKind;
  taobaoId: string;
  name: string;
  count: number;
  sampleTitle: string;
}

export interface ImportPreview {
  format: SourceFormatInfo;
  /** Items in the source. */
  items: number;
  /** Counts below cover this many items (all of a CSV; the first few of an API source). */
  scanned: number;
  importable: number;
  skipped: number;
  withWarnings: number;
  /** Items already imported before (they will be updated, not duplicated). */
  existing: number;
  images: { referenced: number; missing: number | null };
  sample: PreviewSample[];
  issues: Array<{ rowNo: number; level: 'skip' | 'warn'; message: string }>;
  categories: PreviewCategory[];
  /** Parts left out to keep the stored preview small. */
  trimmed: boolean;
}

export interface ImportView {
  id: number;
  source: ImportSourceKind;
  status: TaobaoImport['status'];
  label: string;
  total: number | null;
  done: number;
  percent: number | null;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  warned: number;
  imagesDone: number;
  imagesFailed: number;
  error: string | null;
  cancelRequested: boolean;
  options: ImportOptions;
  /** True while an instance holds the import's lease. */
  active: boolean;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface CategoryMappingInput {
  kind: CategoryKind;
  taobaoId: string;
  /** Our category; null removes the mapping. */
  categoryId?: number | null;
  /** Create a category with this name and map to it. */
  createName?: string;
  name?: string;
}

const SAMPLE_ITEMS = 20;
const MAX_ISSUES = 100;
const MAX_CATEGORIES = 500;
const PREVIEW_BYTES = 60_000;
const CSV_COLUMNS = ['row', 'outcome', 'warnings', 'num_id', 'outer_id', 'title', 'product_id', 'message'];

function yuan(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`;
}

/** One CSV cell: quoted when needed; a leading = + - @ is defused so spreadsheets do not run it as a formula. */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Imports as the merchant sees them: create (upload, TOP, URLs), preview, map categories, start, cancel, results. */
@Injectable()
export class ImportService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly sources: ImportSources,
    private readonly runner: ImportRunner,
    private readonly catalog: CatalogService,
  ) {}

  private get repo() {
    return this.ds.getRepository(TaobaoImport);
  }

  // ------------------------------------------------------------------ creating imports

  /** An uploaded file (already on disk, in the work folder) becomes a draft import with its preview. */
  async createFromUpload(tempFile: string, fileName: string, adminId: number | null): Promise<{ view: ImportView; preview: ImportPreview }> {
    const fh = await open(tempFile, 'r');
    const magic = Buffer.alloc(4);
    await fh.read(magic, 0, 4, 0).finally(() => fh.close());
    const isZip = magic.readUInt32LE(0) === 0x04034b50 || magic.readUInt32LE(0) === 0x06054b50;
    const job = await this.repo.save(this.repo.create({ source: 'csv', status: 'draft', label: fileName.slice(0, 255), options: {}, adminId }));
    const dir = await this.sources.workDir(job.id);
    await mkdir(dir, { recursive: true });
    await rename(tempFile, join(dir, isZip ? UPLOAD_ZIP : UPLOAD_CSV));
    return this.preview(job, Infinity);
  }

  async createTop(options: { pageSize?: number }, adminId: number | null): Promise<{ view: ImportView; preview: ImportPreview }> {
    try {
      await this.sources.topClient();
    } catch (err) {
      throw new BadInputError('source', (err as Error).message, 'top_not_configured');
    }
    const job = await this.repo.save(this.repo.create({ source: 'top', status: 'draft', label: 'TOP API', options: options.pageSize ? { pageSize: options.pageSize } : {}, adminId }));
    return this.preview(job, 10);
  }

  async createFromUrls(urls: string[], adminId: number | null): Promise<{ view: ImportView; preview: ImportPreview }> {
    const list = urls.map((u) => u.trim()).filter(Boolean);
    if (!list.length) throw new BadInputError('urls', 'paste at least one item URL');
    if (list.length > 500) throw new BadInputError('urls', 'at most 500 URLs per import');
    const bad = list.find((u) => !parseItemUrl(u));
    if (bad) throw new BadInputError('urls', `"${bad.slice(0, 100)}" is not a Taobao or Tmall item URL (item.taobao.com/item.htm?id=… or detail.tmall.com/item.htm?id=…)`, 'invalid_item_url');
    // stored short and once each: https://<host>/item.htm?id=<id> (tracking parameters dropped)
    const canonical = [...new Set(list.map((u) => {
      const p = parseItemUrl(u)!;
      return `https://${new URL(p.url).hostname}/item.htm?id=${p.numIid}`;
    }))];
    list.splice(0, list.length, ...canonical);
    try {
      await this.sources.provider();
    } catch (err) {
      throw new BadInputError('source', (err as Error).message, 'provider_not_configured');
    }
    const job = await this.repo.save(this.repo.create({ source: 'item-url', status: 'draft', label: `${list.length} URL${list.length > 1 ? 's' : ''}`, options: { urls: list }, adminId }));
    return this.preview(job, 5);
  }

  /**
   * Reads the source (all of a CSV, streamed; the first `sampleLimit` items of an API source) and
   * stores what the import would do. A problem that stops the whole source marks the import failed
   * and is answered as a 400 with its reason.
   */
  private async preview(job: TaobaoImport, sampleLimit: number): Promise<{ view: ImportView; preview: ImportPreview }> {
    let source: ImportSource | null = null;
    try {
      source = await this.sources.open(job);
      const ids = { numIds: new Set<string>(), outerIds: new Set<string>() };
      const preview = await this.scan(source, sampleLimit, ids);
      await this.rememberCategories(preview.categories);
      preview.existing = await this.countExisting(ids.numIds, ids.outerIds);
      const stored = this.fit(preview);
      await this.repo.update({ id: job.id }, { preview: JSON.stringify(stored), total: preview.items });
      return { view: await this.view(job.id), preview: stored };
    } catch (err) {
      if (!(err instanceof FatalSourceError)) throw err;
      await this.repo.update({ id: job.id }, { status: 'failed', error: err.message.slice(0, 1000), finishedAt: new Date() });
      await this.sources.removeWork(job.id).catch(() => undefined);
      throw new BadInputError('file', err.message, err.code);
    } finally {
      await source?.close().catch(() => undefined);
    }
  }

  private async scan(source: ImportSource, sampleLimit: number, ids: { numIds: Set<string>; outerIds: Set<string> }): Promise<ImportPreview> {
    const p: ImportPreview = { format: source.formatInfo(), items: 0, scanned: 0, importable: 0, skipped: 0, withWarnings: 0, existing: 0, images: { referenced: 0, missing: 0 }, sample: [], issues: [], categories: [], trimmed: false };
    const cats = new Map<string, PreviewCategory>();
    const countCategory = (kind: CategoryKind, id: string, title: string) => {
      const key = `${kind}:${id}`;
      const c = cats.get(key);
      if (c) c.count++;
      else cats.set(key, { kind, taobaoId: id, name: '', count: 1, sampleTitle: title.slice(0, 60) });
    };
    const issue = (rowNo: number, level: 'skip' | 'warn', message: string) => {
      if (p.issues.length < MAX_ISSUES) p.issues.push({ rowNo, level, message: message.slice(0, 500) });
    };
    const api = source instanceof TopSource;
    if (api) {
      // categories and the count come from the listing, details from the first items only
      for await (const listed of source.listing()) {
        p.items++;
        if (listed.cid) countCategory('cid', String(listed.cid), listed.title ?? '');
        for (const sc of (listed.seller_cids ?? '').split(/[,;\s]+/).filter((s) => /^\d+$/.test(s) && s !== '0')) countCategory('shop', sc, listed.title ?? '');
      }
    }
    for await (const row of source.rows(0)) {
      if (!api && source.kind === 'csv') p.items++;
      if (p.scanned >= sampleLimit) {
        if (api || source.kind !== 'csv') break;
        continue;
      }
      p.scanned++;
      if (row.error !== undefined) {
        p.skipped++;
        issue(row.rowNo, 'skip', row.error);
        if (p.sample.length < SAMPLE_ITEMS) p.sample.push({ rowNo: row.rowNo, numId: row.numId ?? null, outerId: null, title: row.title ?? '', price: '', stock: 0, specNames: [], variants: [], variantCount: 0, images: 0, imagesMissing: 0, cid: null, sellerCids: [], onSale: null, warnings: [], problem: row.error });
        continue;
      }
      const item = row.item;
      if (item.numId) ids.numIds.add(item.numId);
      else if (item.outerId) ids.outerIds.add(item.outerId);
      if (!api) {
        if (item.cid) countCategory('cid', item.cid, item.title);
        for (const sc of item.sellerCids) countCategory('shop', sc, item.title);
      }
      const mapped = mapItem(item);
      const refs = mapped.ok ? [...mapped.draft.images, ...mapped.draft.variants.flatMap((v) => (v.image ? [v.image] : []))] : item.images;
      let missing = 0;
      for (const img of refs) {
        p.images.referenced++;
        if (source.hasImage(img) === false) missing++;
      }
      if (p.images.missing !== null) p.images.missing += missing;
      const warnings = [...(mapped.warnings ?? [])];
      if (missing) warnings.push(`${missing} picture${missing > 1 ? 's are' : ' is'} not in the upload`);
      if (!mapped.ok) {
        p.skipped++;
        issue(row.rowNo, 'skip', mapped.reason);
      } else {
        p.importable++;
        if (warnings.length) {
          p.withWarnings++;
          issue(row.rowNo, 'warn', warnings.join('; '));
        }
      }
      if (p.sample.length < SAMPLE_ITEMS) {
        const prices = mapped.ok ? mapped.draft.variants.map((v) => v.price) : [];
        const min = prices.length ? Math.min(...prices) : 0;
        const max = prices.length ? Math.max(...prices) : 0;
        p.sample.push({
          rowNo: row.rowNo, numId: item.numId, outerId: item.outerId, title: mapped.ok ? mapped.draft.title : item.title.slice(0, 120),
          price: !prices.length ? '' : min === max ? yuan(min) : `${yuan(min)} – ${yuan(max)}`,
          stock: mapped.ok ? mapped.draft.variants.reduce((s, v) => s + v.stock, 0) : 0,
          specNames: mapped.ok ? mapped.draft.specNames : [],
          variants: mapped.ok ? mapped.draft.variants.slice(0, 6).map((v) => `${v.specValues.join(' / ') || '默认'} ${yuan(v.price)} ×${v.stock}${v.skuCode ? ` [${v.skuCode}]` : ''}`) : [],
          variantCount: mapped.ok ? mapped.draft.variants.length : 0,
          images: mapped.ok ? mapped.draft.images.length : item.images.length, imagesMissing: missing,
          cid: item.cid, sellerCids: item.sellerCids, onSale: item.onSale, warnings: warnings.slice(0, 10).map((w) => w.slice(0, 300)), problem: mapped.ok ? null : mapped.reason,
        });
      }
    }
    if (source.kind === 'item-url') p.items = (await source.count()) ?? p.scanned;
    if (source.kind !== 'csv') p.images.missing = null;
    p.format = source.formatInfo();
    p.categories = [...cats.values()].sort((a, b) => b.count - a.count);
    return p;
  }

  /** How many of the scanned items were imported before (matched the way the import matches them). */
  private async countExisting(numIds: Set<string>, outerIds: Set<string>): Promise<number> {
    let found = 0;
    const links = this.ds.getRepository(TaobaoProductLink);
    const ids = [...numIds];
    for (let i = 0; i < ids.length; i += 500) found += await links.count({ where: { numId: In(ids.slice(i, i + 500)) } });
    const outers = [...outerIds];
    for (let i = 0; i < outers.length; i += 500) found += await links.count({ where: { outerId: In(outers.slice(i, i + 500)) } });
    return found;
  }

  /** Keeps the stored preview under the size a TEXT column holds. */
  private fit(p: ImportPreview): ImportPreview {
    const size = () => Buffer.byteLength(JSON.stringify(p), 'utf8');
    if (p.categories.length > MAX_CATEGORIES) {
      p.categories = p.categories.slice(0, MAX_CATEGORIES);
      p.trimmed = true;
    }
    while (size() > PREVIEW_BYTES && (p.issues.length > 10 || p.sample.length > 5 || p.categories.length > 50)) {
      p.trimmed = true;
      if (p.issues.length > 10) p.issues = p.issues.slice(0, Math.floor(p.issues.length / 2));
      else if (p.sample.length > 5) p.sample = p.sample.slice(0, Math.floor(p.sample.length / 2));
      else p.categories = p.categories.slice(0, Math.floor(p.categories.length / 2));
    }
    if (size() > PREVIEW_BYTES) {
      p.sample = p.sample.map((s) => ({ ...s, warnings: s.warnings.slice(0, 1), variants: s.variants.slice(0, 1) }));
      p.issues = p.issues.map((i) => ({ ...i, message: i.message.slice(0, 100) }));
      p.format = { ...p.format, ignoredColumns: p.format.ignoredColumns?.slice(0, 20) };
    }
    return p;
  }

  /** Categories seen in an import are remembered (unmapped) so the mapping page lists them, with names when known. */
  private async rememberCategories(categories: PreviewCategory[]): Promise<void> {
    const repo = this.ds.getRepository(TaobaoCategoryMap);
    for (const kind of ['cid', 'shop'] as const) {
      const ids = categories.filter((c) => c.kind === kind).map((c) => c.taobaoId);
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const known = new Set((await repo.find({ where: { kind, taobaoId: In(chunk) }, select: { taobaoId: true } })).map((m) => m.taobaoId));
        const fresh = chunk.filter((id) => !known.has(id)).map((taobaoId) => ({ kind, taobaoId, name: '', categoryId: null }));
        if (fresh.length) await repo.createQueryBuilder().insert().into(TaobaoCategoryMap).values(fresh).orIgnore().execute();
      }
    }
    const mapped = await repo.find({ where: { taobaoId: In(categories.map((c) => c.taobaoId).slice(0, 1000)) } });
    for (const c of categories) c.name = c.name || mapped.find((m) => m.kind === c.kind && m.taobaoId === c.taobaoId)?.name || '';
  }

  // ------------------------------------------------------------------ category mapping

  async categoryMappings(): Promise<{ mappings: TaobaoCategoryMap[]; categories: Array<{ id: number; name: string; parentId: number | null }> }> {
    const mappings = await this.ds.getRepository(TaobaoCategoryMap).find({ order: { kind: 'ASC', id: 'ASC' } });
    const categories = (await this.catalog.allCategories()).map((c) => ({ id: c.id, name: c.name, parentId: c.parentId }));
    return { mappings, categories };
  }

  /** Saves mappings (creating our categories where asked); they apply to this and every later import. */
  async saveMappings(list: CategoryMappingInput[]): Promise<TaobaoCategoryMap[]> {
    const repo = this.ds.getRepository(TaobaoCategoryMap);
    const saved: TaobaoCategoryMap[] = [];
    const created = new Map<string, number>();
    for (const [i, m] of list.entries()) {
      let categoryId = m.categoryId ?? null;
      if (m.createName?.trim()) {
        const name = m.createName.trim().slice(0, 64);
        categoryId = created.get(name) ?? (await this.ds.getRepository(Category).findOneBy({ name }))?.id ?? (await this.catalog.createCategory({ name })).id;
        created.set(name, categoryId);
      } else if (categoryId !== null && !(await this.ds.getRepository(Category).existsBy({ id: categoryId }))) {
        throw new NotFoundError('category', categoryId, `mappings.${i}.categoryId`);
      }
      let row = await repo.findOneBy({ kind: m.kind, taobaoId: m.taobaoId });
      if (!row) row = repo.create({ kind: m.kind, taobaoId: m.taobaoId, name: '', categoryId: null });
      row.categoryId = categoryId;
      if (m.name !== undefined) row.name = m.name.slice(0, 64);
      saved.push(await repo.save(row));
    }
    return saved;
  }

  // ------------------------------------------------------------------ running

  async start(id: number, opts: { listing?: ImportOptions['listing']; defaultCategoryId?: number | null }): Promise<ImportView> {
    const job = await this.find(id);
    if (job.status !== 'draft') throw new ConflictError('not_startable', `import ${id} is ${job.status}; only a new import can be started`);
    if (opts.defaultCategoryId && !(await this.ds.getRepository(Category).existsBy({ id: opts.defaultCategoryId }))) throw new NotFoundError('category', opts.defaultCategoryId, 'defaultCategoryId');
    const options: ImportOptions = { ...job.options, ...(opts.listing ? { listing: opts.listing } : {}), ...(opts.defaultCategoryId !== undefined ? { defaultCategoryId: opts.defaultCategoryId } : {}) };
    const res = await this.repo.createQueryBuilder().update(TaobaoImport).set({ status: 'queued', options }).where("id = :id AND status = 'draft'", { id }).execute();
    if (affectedRows(res) !== 1) throw new ConflictError('not_startable', `import ${id} was started already`);
    void this.runner.kick().catch(() => undefined);
    return this.view(id);
  }

  /** A failed import continues where it stopped (after the merchant fixed the cause, e.g. a new TOP session). */
  async resume(id: number): Promise<ImportView> {
    const job = await this.find(id);
    if (job.status !== 'failed' || job.preview === null) throw new ConflictError('not_resumable', `import ${id} is ${job.status}; only a failed import can be resumed`);
    await this.repo.createQueryBuilder().update(TaobaoImport).set({ status: 'queued', error: null, finishedAt: null, cancelRequested: false }).where("id = :id AND status = 'failed'", { id }).execute();
    void this.runner.kick().catch(() => undefined);
    return this.view(id);
  }

  /** Stops an import: at once when it has not started, at the next row when it runs (on whichever instance). */
  async cancel(id: number): Promise<ImportView> {
    const job = await this.find(id);
    if (job.status === 'draft' || job.status === 'queued' || job.status === 'failed') {
      const res = await this.repo.createQueryBuilder().update(TaobaoImport).set({ status: 'cancelled', cancelRequested: true, finishedAt: new Date() })
        .where('id = :id AND status IN (:...s) AND (lease_until IS NULL OR lease_owner IS NULL)', { id, s: ['draft', 'queued', 'failed'] }).execute();
      if (affectedRows(res) === 1) {
        await this.sources.removeWork(id).catch(() => undefined);
        return this.view(id);
      }
    }
    if (job.status === 'done' || job.status === 'cancelled') throw new ConflictError('not_cancellable', `import ${id} is ${job.status} already`);
    await this.repo.update({ id }, { cancelRequested: true });
    this.runner.abortLocal(id);
    return this.view(id);
  }

  // ------------------------------------------------------------------ reading

  async find(id: number): Promise<TaobaoImport> {
    const job = await this.repo.findOneBy({ id });
    if (!job) throw new NotFoundError('import', id);
    return job;
  }

  toView(j: TaobaoImport): ImportView {
    const done = j.position;
    return {
      id: j.id, source: j.source, status: j.status, label: j.label, total: j.total, done,
      percent: j.status === 'done' ? 100 : j.total ? Math.min(100, Math.floor((done / j.total) * 100)) : j.total === 0 ? 100 : null,
      created: j.createdCount, updated: j.updatedCount, skipped: j.skippedCount, failed: j.failedCount, warned: j.warnedCount,
      imagesDone: j.imagesDone, imagesFailed: j.imagesFailed, error: j.error, cancelRequested: j.cancelRequested,
      options: { ...j.options, urls: j.options.urls ? j.options.urls.slice(0, 20) : undefined },
      active: !!(j.leaseOwner && j.leaseUntil && j.leaseUntil.getTime() > Date.now()),
      createdAt: j.createdAt, startedAt: j.startedAt, finishedAt: j.finishedAt,
    };
  }

  async view(id: number): Promise<ImportView> {
    return this.toView(await this.find(id));
  }

  async previewOf(id: number): Promise<ImportPreview | null> {
    const job = await this.find(id);
    return job.preview ? (JSON.parse(job.preview) as ImportPreview) : null;
  }

  async list(limit = 50): Promise<ImportView[]> {
    return (await this.repo.find({ order: { id: 'DESC' }, take: limit })).map((j) => this.toView(j));
  }

  async rows(id: number, q: { outcome?: RowOutcome; problems?: boolean; page?: number; pageSize?: number }): Promise<{ items: TaobaoImportRow[]; total: number; page: number; pageSize: number }> {
    await this.find(id);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    const qb = this.ds.getRepository(TaobaoImportRow).createQueryBuilder('r').where('r.import_id = :id', { id });
    if (q.outcome) qb.andWhere('r.outcome = :o', { o: q.outcome });
    if (q.problems) qb.andWhere("(r.outcome IN ('skipped', 'failed') OR r.warnings = :w)", { w: true });
    const [items, total] = await qb.orderBy('r.row_no', 'ASC').skip((page - 1) * pageSize).take(pageSize).getManyAndCount();
    return { items, total, page, pageSize };
  }

  /** The results as CSV lines (UTF-8 with a BOM, which spreadsheets need to show Chinese), read page by page. */
  async *resultsCsv(id: number, all: boolean): AsyncGenerator<string> {
    await this.find(id);
    yield `\uFEFF${CSV_COLUMNS.join(',')}\r\n`;
    const repo = this.ds.getRepository(TaobaoImportRow);
    let afterRow = -1;
    for (;;) {
      const qb = repo.createQueryBuilder('r').where('r.import_id = :id AND r.row_no > :after', { id, after: afterRow });
      if (!all) qb.andWhere("(r.outcome IN ('skipped', 'failed') OR r.warnings = :w)", { w: true });
      const rows = await qb.orderBy('r.row_no', 'ASC').take(1000).getMany();
      if (!rows.length) return;
      yield rows.map((r) => [r.rowNo, r.outcome, r.warnings ? 'yes' : '', r.numId, r.outerId, r.title, r.productId, r.message].map(csvCell).join(',')).join('\r\n') + '\r\n';
      afterRow = rows[rows.length - 1].rowNo;
    }
  }

  /** Removes the files of imports that will never run again, and uploads abandoned more than a day ago. */
  async cleanWorkDir(): Promise<void> {
    const keep = new Set((await this.repo.find({ where: { status: In(['draft', 'queued', 'running', 'failed']) }, select: { id: true } })).map((j) => String(j.id)));
    const { readdir } = await import('node:fs/promises');
    const root = await this.sources.workDir();
    const { stat } = await import('node:fs/promises');
    for (const name of await readdir(root).catch(() => [] as string[])) {
      if (/^\d+$/.test(name) && !keep.has(name)) await rm(join(root, name), { recursive: true, force: true });
      // an upload that never became an import (connection lost); a day old, so never one in progress
      else if (name.startsWith('tmp-')) {
        const st = await stat(join(root, name)).catch(() => null);
        if (st && Date.now() - st.mtimeMs > 86_400_000) await rm(join(root, name), { force: true });
      }
    }
  }
}
