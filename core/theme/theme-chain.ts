import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ThemeManifest } from './theme-manifest.js';

export interface ThemeLayer {
  name: string;
  dir: string;
  manifest: ThemeManifest;
}

export class ThemeLoadError extends Error {}

export function readManifest(dir: string): ThemeManifest {
  const file = join(dir, 'theme.json');
  if (!existsSync(file)) throw new ThemeLoadError(`${dir} has no theme.json`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ThemeLoadError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  const m = parsed as ThemeManifest;
  if (!m || typeof m.name !== 'string' || typeof m.version !== 'string') throw new ThemeLoadError(`${file} needs "name" and "version" strings`);
  return m;
}

/** The theme and its ancestors, child first: [child, parent, …, default]. */
export function loadChain(themesDir: string, name: string): ThemeLayer[] {
  const chain: ThemeLayer[] = [];
  const seen = new Set<string>();
  let current: string | undefined = name;
  while (current) {
    if (seen.has(current)) throw new ThemeLoadError(`theme "${name}" has a parent cycle through "${current}"`);
    seen.add(current);
    const dir = join(themesDir, current);
    if (!existsSync(dir)) throw new ThemeLoadError(chain.length ? `parent theme "${current}" of "${chain[chain.length - 1].name}" is not installed` : `theme "${current}" is not installed in ${themesDir}`);
    const manifest = readManifest(dir);
    chain.push({ name: current, dir, manifest });
    current = manifest.parent;
  }
  return chain;
}

/** Files below `sub` (e.g. "partials") across the chain; a child's file hides its parent's. */
export function collectFiles(chain: ThemeLayer[], sub: string, ext: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const layer of [...chain].reverse()) {
    const base = join(layer.dir, sub);
    for (const file of walk(base)) {
      if (!file.endsWith(ext)) continue;
      out.set(relative(base, file).slice(0, -ext.length).split('\\').join('/'), file);
    }
  }
  return out;
}

export function findInChain(chain: ThemeLayer[], relPath: string): { file: string; layer: ThemeLayer } | null {
  for (const layer of chain) {
    const file = join(layer.dir, relPath);
    if (existsSync(file) && statSync(file).isFile()) return { file, layer };
  }
  return null;
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}
