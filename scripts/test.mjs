// Runs the compiled test suite: unit + end-to-end on SQLite, the same on MariaDB, then browser tests.
// MariaDB and Chromium phases are required in CI (CI=true) and skipped with a notice elsewhere when
// the service or browser is missing. Prints one closing line: "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import net from 'node:net';

const ci = process.env.CI === 'true' || process.env.CI === '1';
const only = process.argv.slice(2); // optional filters: substrings of test file paths

function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.test.js') ? [full] : [];
  }).filter((f) => !only.length || only.some((o) => f.includes(o))).sort();
}

function canConnect(host, port) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port }, () => { s.end(); resolve(true); });
    s.on('error', () => resolve(false));
    s.setTimeout(2000, () => { s.destroy(); resolve(false); });
  });
}

const totals = { pass: 0, fail: 0, skipped: 0 };
const failures = [];

function phase(label, testFiles, env) {
  if (!testFiles.length) return;
  console.log(`\n=== ${label}: ${testFiles.length} files ===`);
  const tap = join(mkdtempSync(join(tmpdir(), 'mall-tap-')), 'out.tap');
  const res = spawnSync(process.execPath, [
    '--test', '--test-concurrency=2', '--test-timeout=240000',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...testFiles,
  ], { stdio: 'inherit', env: { ...process.env, ...env } });
  const out = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const num = (k) => Number((out.match(new RegExp(`^# ${k} (\\d+)`, 'm')) ?? [])[1] ?? 0);
  totals.pass += num('pass');
  totals.fail += num('fail') + num('cancelled');
  totals.skipped += num('skipped') + num('todo');
  if (res.status !== 0) failures.push(label);
}

const unitAndE2e = [...files('dist/tests/unit'), ...files('dist/tests/e2e'), ...files('dist/plugins').filter((f) => f.includes('/tests/'))];
phase('SQLite', unitAndE2e, { TEST_DB: 'sqlite' });

const mysqlUrl = new URL(process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
if (await canConnect(mysqlUrl.hostname, Number(mysqlUrl.port || 3306))) {
  // unit tests do not touch the database: run only the database-backed ones again
  phase('MariaDB', unitAndE2e.filter((f) => !f.includes('/tests/unit/')), { TEST_DB: 'mariadb' });
} else if (ci) {
  console.error(`MariaDB is not reachable at ${mysqlUrl.host}: CI requires it`);
  failures.push('MariaDB (unreachable)');
} else {
  console.log(`\n(MariaDB not reachable at ${mysqlUrl.host}: skipping the MariaDB run; CI runs it)`);
}

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(chromium)) {
  phase('Browser (Chromium)', files('dist/tests/browser'), { TEST_DB: 'sqlite', CHROMIUM_PATH: chromium });
} else if (ci) {
  console.error(`Chromium not found at ${chromium}: CI requires it`);
  failures.push('Browser (missing chromium)');
} else {
  console.log(`\n(Chromium not found at ${chromium}: skipping browser tests; install the Debian package "chromium")`);
}

if (failures.length) console.log(`\nFailed phases: ${failures.join(', ')}`);
console.log(`\ntests: ${totals.pass} passed, ${totals.fail} failed, ${totals.skipped} skipped`);
process.exit(failures.length || totals.fail ? 1 : 0);
