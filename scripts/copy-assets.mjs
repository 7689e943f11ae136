// Compiled code lives in dist/, but templates, locales and assets are read from the source tree
// (themes/, core/**/views, plugins/**/templates) at run time, so nothing needs copying except
// JSON manifests that compiled plugin code imports relative to itself.
import { cpSync, existsSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
function copyJson(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) { if (name !== 'node_modules') copyJson(full); continue; }
    if (name === 'manifest.json') { mkdirSync(join('dist', dir), { recursive: true }); cpSync(full, join('dist', full)); }
  }
}
copyJson('plugins');
