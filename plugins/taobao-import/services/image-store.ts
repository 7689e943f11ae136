import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { MediaStorage } from '../../../core/media/media-storage.service.js';

/** The file type of image bytes, by their signature (a .tbi is JPEG bytes under another name). */
export function imageType(data: Buffer): 'jpg' | 'png' | 'gif' | 'webp' | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpg';
  if (data.length >= 8 && data.readUInt32BE(0) === 0x89504e47 && data.readUInt32BE(4) === 0x0d0a1a0a) return 'png';
  if (data.length >= 6 && data.subarray(0, 4).toString('latin1') === 'GIF8') return 'gif';
  if (data.length >= 12 && data.subarray(0, 4).toString('latin1') === 'RIFF' && data.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return null;
}

/**
 * Writes imported pictures into MEDIA_DIR/taobao/<aa>/<content hash>.<ext>, served at /media/taobao/….
 * Named by content, so a re-import (or the same picture on several items) writes nothing new.
 */
@Injectable()
export class ImageStore {
  /** Folders known to exist (256 at most): one mkdir per folder, not per picture. */
  private readonly dirs = new Set<string>();

  constructor(private readonly media: MediaStorage) {}

  async save(data: Buffer): Promise<{ url: string } | { error: string }> {
    const type = imageType(data);
    if (!type) return { error: 'not a JPEG, PNG, GIF or WebP picture' };
    const hash = createHash('sha1').update(data).digest('hex').slice(0, 32);
    const rel = `taobao/${hash.slice(0, 2)}/${hash}.${type}`;
    const clean = MediaStorage.cleanPath(rel);
    if (!clean) return { error: 'bad media path' };
    const full = resolve(this.media.root, clean);
    const dir = dirname(full);
    if (!this.dirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.dirs.add(dir);
    }
    try {
      // named by content: a file that is there already holds these bytes
      await writeFile(full, data, { flag: 'wx' });
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') return { error: `cannot write to MEDIA_DIR: ${(err as Error).message}` };
    }
    return { url: this.media.url(clean) };
  }
}
