import { Inject, Injectable } from '@nestjs/common';
import { mkdir, realpath, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, resolve, sep } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

/** Content types of the files /media serves; anything else is not served. */
export const MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
};

export interface MediaFile {
  path: string;
  type: string;
  size: number;
  mtime: Date;
}

/**
 * Uploaded and generated media under config.mediaDir, served at /media/<relative path>.
 * Relative paths are checked segment by segment (no "..", no hidden files, no backslashes or NULs)
 * and the resolved real path must stay inside the media folder, so symlinks cannot lead out of it.
 */
@Injectable()
export class MediaStorage {
  readonly root: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = resolve(config.mediaDir);
  }

  /** The public URL of a media file: "demo/a.svg" → "/media/demo/a.svg". */
  url(rel: string): string {
    return `/media/${rel.split('/').map(encodeURIComponent).join('/')}`;
  }

  /** Validates a relative path; returns the normalized form or null when it must not be served. */
  static cleanPath(rel: string): string | null {
    if (typeof rel !== 'string' || rel.length === 0 || rel.length > 512) return null;
    if (/[\\\0-\x1f]/.test(rel) || isAbsolute(rel)) return null;
    const parts = rel.split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..' || p.startsWith('.'))) return null;
    return parts.join('/');
  }

  /** The file behind a relative path, or null when it is missing, hidden, outside the folder or not media. */
  async find(rel: string): Promise<MediaFile | null> {
    const clean = MediaStorage.cleanPath(rel);
    if (!clean) return null;
    const type = MEDIA_TYPES[extname(clean).toLowerCase()];
    if (!type) return null;
    const full = resolve(this.root, clean);
    if (!full.startsWith(this.root + sep)) return null;
    try {
      const [real, realRoot] = await Promise.all([realpath(full), realpath(this.root)]);
      if (!real.startsWith(realRoot + sep)) return null;
      const st = await stat(real);
      if (!st.isFile()) return null;
      return { path: real, type, size: st.size, mtime: st.mtime };
    } catch {
      return null;
    }
  }

  /** Writes a file under the media folder (creating folders); returns its public URL. */
  async write(rel: string, content: string | Buffer): Promise<string> {
    const clean = MediaStorage.cleanPath(rel);
    if (!clean || !MEDIA_TYPES[extname(clean).toLowerCase()]) throw new Error(`not a media path: ${rel}`);
    const full = resolve(this.root, clean);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
    return this.url(clean);
  }
}
