import { createReadStream, existsSync } from 'node:fs';
import { open as openFile, type FileHandle } from 'node:fs/promises';
import { crc32, inflateRaw, inflateRawSync } from 'node:zlib';
import { promisify } from 'node:util';
import { basename, extname, join } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { FatalSourceError, type ImportSource, type SourceFormatInfo, type SourceImage, type SourceRow } from '../../model.js';
import { DelimitedParser, type ParsedRecord } from './delimited-parser.js';
import { decodeText, encodingLabel } from './encoding.js';
import { detectLayout, NotAnExportError, readItem, type AssistantLayout } from './assistant-format.js';

/** Where an upload lives in the import's work folder. */
export const UPLOAD_ZIP = 'upload.zip';
export const UPLOAD_CSV = 'export.csv';

const IMAGE_EXTENSIONS = new Set(['.tbi', '.jpg', '.jpeg', '.png', '.gif', '.webp']);
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
const MAX_CSV_BYTES = 4 * 1024 * 1024 * 1024;
const inflateRawAsync = promisify(inflateRaw);

/** The key an image file is found by: its base name without extension, lower case. */
export function imageKey(name: string): string {
  const base = basename(name.replace(/\\/g, '/'));
  const ext = extname(base);
  return (IMAGE_EXTENSIONS.has(ext.toLowerCase()) ? base.slice(0, -ext.length) : base).toLowerCase();
}

/** Zip entry names: UTF-8 when flagged, else whatever the packer used (Chinese Windows: GBK). */
function entryName(entry: yauzl.Entry): string {
  const raw = entry.fileNameRaw;
  if (entry.generalPurposeBitFlag & 0x800) return raw.toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return new TextDecoder('gb18030').decode(raw);
  }
}

async function readAll(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      stream.destroy();
      throw new Error(`larger than ${Math.round(limit / 1024 / 1024)} MB`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * A Taobao Assistant export in an import's work folder: `upload.zip` (the CSV and its picture folder
 * of .tbi files, read in place: nothing is extracted) or `export.csv` alone (no pictures).
 * The CSV is streamed: decoded, parsed and turned into items row by row.
 */
export class AssistantExportSource implements ImportSource {
  readonly kind = 'csv' as const;
  private info: SourceFormatInfo = { kind: 'csv' };

  private constructor(
    private readonly csvPath: string | null,
    private readonly zip: yauzl.ZipFile | null,
    private readonly csvEntry: yauzl.Entry | null,
    private readonly images: Map<string, yauzl.Entry>,
    notes: string[],
    csvName: string,
    private readonly fh: FileHandle | null = null,
  ) {
    this.info = { kind: 'csv', csvName, imageFiles: images.size, notes };
  }

  static async open(dir: string): Promise<AssistantExportSource> {
    const zipPath = join(dir, UPLOAD_ZIP);
    const csvPath = join(dir, UPLOAD_CSV);
    if (existsSync(csvPath)) return new AssistantExportSource(csvPath, null, null, new Map(), [], UPLOAD_CSV);
    if (!existsSync(zipPath)) throw new FatalSourceError('the uploaded file is gone from the work folder (deleted, or the folder is not shared between instances)', 'upload_missing');
    let zip: yauzl.ZipFile;
    try {
      zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true });
    } catch (err) {
      throw new FatalSourceError(`the zip cannot be read: ${(err as Error).message}`, 'bad_zip');
    }
    const csvs: Array<{ entry: yauzl.Entry; name: string }> = [];
    const images = new Map<string, yauzl.Entry>();
    const notes: string[] = [];
    try {
      for await (const entry of zip.eachEntry()) {
        const name = entryName(entry);
        if (name.endsWith('/') || name.includes('\0')) continue;
        if (/(^|\/)__MACOSX\//.test(name) || basename(name).startsWith('._')) continue;
        const ext = extname(name).toLowerCase();
        if (ext === '.csv') csvs.push({ entry, name });
        else if (IMAGE_EXTENSIONS.has(ext)) {
          const key = imageKey(name);
          if (!images.has(key)) images.set(key, entry);
        }
      }
    } catch (err) {
      zip.close();
      throw new FatalSourceError(`the zip cannot be read: ${(err as Error).message}`, 'bad_zip');
    }
    if (!csvs.length) {
      zip.close();
      throw new FatalSourceError('the zip holds no .csv file: put the exported CSV and its picture folder into the zip', 'no_csv');
    }
    csvs.sort((a, b) => b.entry.uncompressedSize - a.entry.uncompressedSize);
    if (csvs.length > 1) notes.push(`the zip holds ${csvs.length} CSV files; importing the largest, ${csvs[0].name}`);
    if (!images.size) notes.push('the zip holds no pictures (.tbi): items are imported without images');
    return new AssistantExportSource(null, zip, csvs[0].entry, images, notes, csvs[0].name, await openFile(zipPath, 'r'));
  }

  formatInfo(): SourceFormatInfo {
    return this.info;
  }

  async count(): Promise<number | null> {
    return null; // counted by the preview scan
  }

  hasImage(image: SourceImage): boolean | null {
    if (image.kind === 'url') return null;
    return this.images.has(imageKey(image.name));
  }

  async readImage(image: SourceImage): Promise<{ data: Buffer } | { error: string }> {
    if (image.kind === 'url') return { error: `picture ${image.url} is only online; upload the export with its picture folder` };
    const entry = this.images.get(imageKey(image.name));
    if (!entry || !this.zip) return { error: `picture ${image.name}.tbi is not in the upload${this.zip ? '' : ' (upload the zip with the picture folder, not the CSV alone)'}` };
    if (entry.uncompressedSize > MAX_IMAGE_BYTES) return { error: `picture ${image.name} is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB` };
    try {
      const fast = await this.readStoredOrDeflated(entry);
      return { data: fast ?? (await readAll(await this.zip.openReadStreamPromise(entry), MAX_IMAGE_BYTES)) };
    } catch (err) {
      return { error: `picture ${image.name} cannot be read from the zip: ${(err as Error).message}` };
    }
  }

  /**
   * A picture in one positional read (local header + data), inflated in place: pictures are small and
   * many, and a stream per picture costs several file-system round trips. Null for entries this does
   * not handle (encrypted, other methods), which go through yauzl's stream.
   */
  private async readStoredOrDeflated(entry: yauzl.Entry): Promise<Buffer | null> {
    if (!this.fh || entry.isEncrypted() || (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)) return null;
    const guess = 30 + entry.fileNameLength + entry.extraFieldLength + entry.compressedSize + 256;
    let buf = Buffer.allocUnsafe(guess);
    let { bytesRead } = await this.fh.read(buf, 0, guess, entry.relativeOffsetOfLocalHeader);
    if (bytesRead < 30 || buf.readUInt32LE(0) !== 0x04034b50) throw new Error('bad local file header');
    const start = 30 + buf.readUInt16LE(26) + buf.readUInt16LE(28);
    const end = start + entry.compressedSize;
    if (end > bytesRead) {
      buf = Buffer.allocUnsafe(end);
      bytesRead = (await this.fh.read(buf, 0, end, entry.relativeOffsetOfLocalHeader)).bytesRead;
      if (end > bytesRead) throw new Error('the zip ends inside this picture');
    }
    const raw = buf.subarray(start, end);
    const data = entry.compressionMethod === 0 ? Buffer.from(raw) : raw.length <= 1024 * 1024 ? inflateRawSync(raw, { maxOutputLength: MAX_IMAGE_BYTES }) : await inflateRawAsync(raw, { maxOutputLength: MAX_IMAGE_BYTES });
    if (data.length !== entry.uncompressedSize || (crc32(data) >>> 0) !== entry.crc32) throw new Error('damaged in the zip (size or CRC mismatch)');
    return data;
  }

  private async openCsv(): Promise<Readable> {
    if (this.csvPath) return createReadStream(this.csvPath, { highWaterMark: 256 * 1024 });
    if (this.csvEntry!.uncompressedSize > MAX_CSV_BYTES) throw new FatalSourceError('the CSV in the zip is larger than 4 GB', 'csv_too_large');
    return this.zip!.openReadStreamPromise(this.csvEntry!);
  }

  async *rows(from: number, signal?: AbortSignal): AsyncGenerator<SourceRow> {
    const stream = await this.openCsv();
    const parser = new DelimitedParser();
    let layout: AssistantLayout | null = null;
    const head: ParsedRecord[] = [];
    let index = 0;
    const self = this;
    /** Decides the layout from the buffered first records; returns the data records among them. */
    function settle(): ParsedRecord[] {
      layout = self.layoutFrom(head.filter((r) => r.fields).map((r) => r.fields!));
      let headerLeft = layout.headerRows;
      const rest = head.filter((r) => !(r.fields && headerLeft-- > 0));
      head.length = 0;
      return rest;
    }
    function* emit(records: ParsedRecord[]): Generator<SourceRow> {
      for (const rec of records) {
        if (!layout) {
          head.push(rec);
          if (head.filter((r) => r.fields).length >= 3) yield* emit(settle());
          continue;
        }
        const i = index++;
        if (i < from) continue;
        if (rec.error !== undefined) {
          yield { index: i, rowNo: rec.rowNo, error: rec.error };
          continue;
        }
        try {
          yield { index: i, rowNo: rec.rowNo, item: readItem(layout, rec.fields) };
        } catch (err) {
          const cols: AssistantLayout['columns'] = (layout as AssistantLayout).columns;
          yield { index: i, rowNo: rec.rowNo, error: (err as Error).message, title: rec.fields[cols.title ?? -1]?.trim().slice(0, 120), numId: rec.fields[cols.num_id ?? -1]?.trim() || null };
        }
      }
    }
    try {
      const text = decodeText(stream as AsyncIterable<Buffer>, (encoding, bom) => {
        this.info.encoding = encodingLabel(encoding, bom);
      });
      for await (const chunk of text) {
        if (signal?.aborted) return;
        yield* emit(parser.push(chunk));
      }
      yield* emit(parser.end());
      if (!layout) yield* emit(settle());
      this.info.delimiter = parser.detectedDelimiter === '\t' ? 'tab' : parser.detectedDelimiter ?? undefined;
    } finally {
      stream.destroy();
    }
  }

  private layoutFrom(records: string[][]): AssistantLayout {
    let layout: AssistantLayout | null;
    try {
      layout = detectLayout(records, true);
    } catch (err) {
      if (err instanceof NotAnExportError) throw new FatalSourceError(err.message, 'not_an_export');
      throw err;
    }
    if (!layout) throw new FatalSourceError('the export ends before its header rows', 'not_an_export');
    Object.assign(this.info, {
      version: layout.version ?? undefined,
      headerRows: layout.headerRows,
      columns: layout.columnCount,
      ignoredColumns: layout.ignoredColumns,
      missingColumns: layout.missingColumns,
    });
    return layout;
  }

  async close(): Promise<void> {
    this.zip?.close();
    await this.fh?.close().catch(() => undefined);
  }
}
