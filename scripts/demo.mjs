// `npm run demo`: starts the built mall with a demo catalog on SQLite.
// Secrets are generated once and kept in ./data so sessions and the owner login survive restarts:
//   ./data/.session-secret   SESSION_SECRET (unless set in the environment)
//   ./data/.admin-password   the owner's password (unless ADMIN_PASSWORD is set)
// Any variable from .env.example can still be set in the environment and wins.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const dataDir = resolve(root, 'data');
mkdirSync(dataDir, { recursive: true });

const main = resolve(root, 'dist/core/main.js');
if (!existsSync(main)) {
  console.error('dist/core/main.js is missing: run `npm run build` first (npm run demo does it for you).');
  process.exit(1);
}

/** Reads a secret kept in ./data, or creates it (readable by this user only). */
function keptSecret(file, make) {
  const path = resolve(dataDir, file);
  if (existsSync(path)) {
    const value = readFileSync(path, 'utf8').trim();
    if (value) return { value, created: false };
  }
  const value = make();
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  return { value, created: true };
}

const env = { ...process.env };
env.SEED_DEMO ??= 'true';
// the demo shows the marketing and distribution plugins; PLUGINS= (empty) starts the bare core
env.PLUGINS ??= 'spend-and-save,coupons,distribution,distribution-single,group-buy,flash-sale,after-sales';
env.DATABASE_URL ||= './data/mall.sqlite';
const sqliteFile = /^(mysql|mariadb):\/\//i.test(env.DATABASE_URL) ? null : resolve(root, env.DATABASE_URL.replace(/^(sqlite|file):\/\//i, ''));
const databaseExisted = sqliteFile ? existsSync(sqliteFile) : true;

if (!env.SESSION_SECRET) env.SESSION_SECRET = keptSecret('.session-secret', () => randomBytes(32).toString('hex')).value;

let passwordNote = '';
if (!env.ADMIN_EMAIL && !env.ADMIN_PASSWORD) {
  env.ADMIN_EMAIL = 'owner@mall.local';
  const kept = keptSecret('.admin-password', () => randomBytes(12).toString('base64url'));
  env.ADMIN_PASSWORD = kept.value;
  // The owner is created only in an empty database: a password file written now does not match
  // an owner created earlier by hand.
  if (kept.created && databaseExisted) passwordNote = '(the database already existed: if this login fails, use the password you chose before, or `npm run admin:create -- <email> <password>`)';
} else if (!env.ADMIN_EMAIL || !env.ADMIN_PASSWORD) {
  console.error('Set both ADMIN_EMAIL and ADMIN_PASSWORD, or neither (the demo then uses owner@mall.local and a generated password).');
  process.exit(1);
}

const port = Number(env.PORT || 3000);
const publicUrl = (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');

const child = spawn(process.execPath, [main], { env, stdio: 'inherit' });

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null) child.kill(signal);
  });
}

child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }[signal] ?? 1) : 1));
});

// Print the addresses and the login once the mall answers.
const started = Date.now();
async function announce() {
  while (child.exitCode === null && Date.now() - started < 120_000) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) {
        const lines = [
          '',
          '  微商城 demo is running',
          `  Storefront:  ${publicUrl}/`,
          `  Admin:       ${publicUrl}/admin`,
          `  Login:       ${env.ADMIN_EMAIL} / ${env.ADMIN_PASSWORD}`,
          ...(passwordNote ? [`               ${passwordNote}`] : []),
          `  Data:        ${env.DATABASE_URL}, media in ${env.MEDIA_DIR || './data/media'}`,
          '  Stop with Ctrl+C; run `npm run demo` again to continue where you left off.',
          '',
        ];
        console.log(lines.join('\n'));
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}
void announce();
