import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot } from '../../core/common/paths.js';
import { checkTheme, formatReport, installedPlugins, THEME_RULES, type ThemeCheckReport } from '../../core/theme/theme-checker.js';
import { ThemeEngine } from '../../core/theme/theme-engine.js';
import type { SlotContribution } from '../../core/theme/slot-registry.js';

/** A temporary themes folder: the real themes plus the test fixtures (tests/fixtures/themes/fx-*). */
function themesCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mall-themes-'));
  for (const name of readdirSync(fromRoot('themes'))) cpSync(fromRoot('themes', name), join(dir, name), { recursive: true });
  for (const name of readdirSync(fromRoot('tests/fixtures/themes')).filter((n) => n.startsWith('fx-'))) cpSync(fromRoot('tests/fixtures/themes', name), join(dir, name), { recursive: true });
  return dir;
}

const codes = (r: ThemeCheckReport) => r.findings.map((f) => f.code).sort();

describe('theme checker', () => {
  let dir: string;
  before(() => {
    dir = themesCopy();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const check = (name: string, plugins = [{ id: 'coupons', helpers: ['t', 'badge'] }]) => checkTheme({ themesDir: dir, name, plugins });

  it('passes the default theme and the tea-house child theme with no errors and no warnings', () => {
    for (const name of ['default', 'tea-house']) {
      const report = checkTheme({ themesDir: fromRoot('themes'), name, plugins: installedPlugins(fromRoot('plugins')) });
      assert.deepEqual(report.findings, [], `${name}:\n${formatReport(report)}`);
      assert.equal(report.ok, true);
    }
    assert.deepEqual(checkTheme({ themesDir: fromRoot('themes'), name: 'tea-house' }).chain, ['tea-house', 'default']);
  });

  it('passes the inheritance fixtures (a child and a grandchild of default)', () => {
    for (const name of ['fx-child', 'fx-leaf']) assert.deepEqual(check(name).findings, [], name);
    assert.deepEqual(check('fx-leaf').chain, ['fx-leaf', 'fx-child', 'default']);
  });

  it('reports every template, helper, locale, asset and settings problem of fx-broken at once, with exactly the expected codes', () => {
    const report = check('fx-broken');
    assert.deepEqual(codes(report), [
      'THEME-ASSET-001',
      'THEME-HELPER-001', 'THEME-HELPER-002', 'THEME-HELPER-003',
      'THEME-LOCALE-001', 'THEME-LOCALE-002',
      'THEME-MANIFEST-003', 'THEME-MANIFEST-006', 'THEME-MANIFEST-006', 'THEME-MANIFEST-007', 'THEME-MANIFEST-007', 'THEME-MANIFEST-007', 'THEME-MANIFEST-008', 'THEME-MANIFEST-009',
      'THEME-PARTIAL-001',
      'THEME-SETTING-001', 'THEME-SETTING-001',
      'THEME-SLOT-001',
      'THEME-SYNTAX-001',
      'THEME-XSS-001',
    ]);
    assert.equal(report.ok, false);
    assert.equal(report.errors, 11);
    assert.equal(report.warnings, 9);
    const at = (code: string) => report.findings.filter((f) => f.code === code).map((f) => `${f.file}${f.line ? `:${f.line}` : ''}`);
    assert.deepEqual(at('THEME-SYNTAX-001'), ['fx-broken/templates/broken.hbs:2']);
    assert.deepEqual(at('THEME-HELPER-001'), ['fx-broken/templates/home.hbs:2']);
    assert.deepEqual(at('THEME-HELPER-002'), ['fx-broken/templates/home.hbs:3']);
    assert.deepEqual(at('THEME-HELPER-003'), ['fx-broken/templates/home.hbs:4']);
    assert.deepEqual(at('THEME-PARTIAL-001'), ['fx-broken/templates/home.hbs:5'], 'a partial block with fallback content and an inline partial are not errors');
    assert.deepEqual(at('THEME-SLOT-001'), ['fx-broken/templates/home.hbs:7']);
    assert.deepEqual(at('THEME-SETTING-001'), ['fx-broken/templates/home.hbs:9', 'fx-broken/templates/home.hbs:10']);
    assert.deepEqual(at('THEME-XSS-001'), ['fx-broken/templates/home.hbs:11'], '{{{product.descriptionHtml}}} is allowed');
    assert.deepEqual(at('THEME-LOCALE-001'), ['fx-broken/templates/home.hbs:13']);
    assert.deepEqual(at('THEME-LOCALE-002'), ['fx-broken/templates/home.hbs:14']);
    assert.deepEqual(at('THEME-ASSET-001'), ['fx-broken/templates/home.hbs:15'], 'css/app.css is inherited from default');
    for (const f of report.findings) {
      const rule = THEME_RULES[f.code as keyof typeof THEME_RULES];
      assert.ok(rule, f.code);
      assert.equal(f.level, rule.level, f.code);
      assert.ok(f.help.length > 20 && f.message.length > 5, `${f.code} has a message and help`);
    }
    // errors first, then warnings
    const levels = report.findings.map((f) => f.level);
    assert.deepEqual(levels, [...levels].sort());
  });

  it('reports manifest and chain problems with exactly the expected codes', () => {
    assert.deepEqual(codes(check('fx-cycle-a')), ['THEME-MANIFEST-005']);
    assert.deepEqual(codes(check('fx-lost-parent')), ['THEME-MANIFEST-004']);
    assert.deepEqual(codes(check('fx-no-manifest')), ['THEME-MANIFEST-001']);
    assert.deepEqual(codes(check('not-a-theme')), ['THEME-MANIFEST-001']);
    assert.deepEqual(codes(check('fx-bad-fields')), ['THEME-MANIFEST-002', 'THEME-MANIFEST-002', 'THEME-MANIFEST-002']);
    const orphan = check('fx-orphan');
    assert.deepEqual(codes(orphan), ['THEME-LOCALE-002', 'THEME-LOCALE-003', ...Array(11).fill('THEME-TEMPLATE-001')]);
    assert.deepEqual(orphan.findings.filter((f) => f.code === 'THEME-TEMPLATE-001').map((f) => f.file.replace(/^fx-orphan\/templates\/|\.hbs$/g, '')).sort(),
      ['cart', 'category', 'checkout', 'error', 'member', 'order', 'orders', 'product', 'sandbox-pay', 'search', 'sign-in']);
  });

  it('reports a parse error with its line and what the parser expected', () => {
    cpSync(join(dir, 'fx-child'), join(dir, 'fx-syntax'), { recursive: true });
    writeFileSync(join(dir, 'fx-syntax/theme.json'), JSON.stringify({ name: 'fx-syntax', version: '1.0.0', parent: 'default' }));
    writeFileSync(join(dir, 'fx-syntax/templates/home.hbs'), '<main>\n  ok\n  {{title\n</main>\n');
    const report = check('fx-syntax');
    assert.deepEqual(report.findings.map((f) => [f.code, f.file, f.line]), [['THEME-SYNTAX-001', 'fx-syntax/templates/home.hbs', 3]]);
    assert.match(report.findings[0].message, /^Parse error on line 3: Expecting .*got 'INVALID'$/);
  });

  it('covers every rule with the fixtures', () => {
    const fired = new Set(['fx-broken', 'fx-cycle-a', 'fx-lost-parent', 'fx-no-manifest', 'fx-bad-fields', 'fx-orphan'].flatMap((n) => codes(check(n))));
    assert.deepEqual([...fired].sort(), Object.keys(THEME_RULES).sort());
  });

  it('treats plugin helpers by what is installed: unknown plugin → warning, installed with unknown helper names → accepted', () => {
    const none = checkTheme({ themesDir: dir, name: 'fx-broken' });
    assert.deepEqual(none.findings.filter((f) => f.code.startsWith('THEME-HELPER-00')).map((f) => f.code).sort(), ['THEME-HELPER-001', 'THEME-HELPER-002', 'THEME-HELPER-002']);
    const installed = checkTheme({ themesDir: dir, name: 'fx-broken', plugins: installedPlugins(fromRoot('plugins')) });
    assert.ok(installedPlugins(fromRoot('plugins')).some((p) => p.id === 'coupons'));
    assert.deepEqual(installed.findings.filter((f) => f.code.startsWith('THEME-HELPER-00')).map((f) => f.code).sort(), ['THEME-HELPER-001', 'THEME-HELPER-002']);
  });

  it('prints a human report grouped by level, and the CLI exits 1 on errors (--json for machines)', () => {
    const text = formatReport(check('fx-broken'));
    assert.ok(text.indexOf('Errors (11)') > 0 && text.indexOf('Warnings (9)') > text.indexOf('Errors (11)'));
    assert.match(text, /THEME-SYNTAX-001 {2}fx-broken\/templates\/broken\.hbs:2\n {4}if doesn't match each\n {4}help: /);
    const cli = fromRoot('dist/core/theme/theme-check-cli.js');
    const bad = spawnSync(process.execPath, [cli, join(dir, 'fx-broken')], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(bad.status, 1, bad.stderr);
    assert.match(bad.stdout, /Errors \(\d+\)[\s\S]*THEME-SYNTAX-001[\s\S]*Warnings \(\d+\)[\s\S]*THEME-XSS-001[\s\S]*FAILED/);
    const json = spawnSync(process.execPath, [cli, join(dir, 'fx-broken'), '--json'], { encoding: 'utf8' });
    assert.equal(json.status, 1);
    const parsed = JSON.parse(json.stdout) as ThemeCheckReport;
    assert.equal(parsed.theme, 'fx-broken');
    assert.ok(parsed.findings.some((f) => f.code === 'THEME-MANIFEST-003' && f.level === 'error'));
    const good = spawnSync(process.execPath, [cli, fromRoot('themes/tea-house')], { encoding: 'utf8' });
    assert.equal(good.status, 0, good.stdout);
    assert.match(good.stdout, /0 errors, 0 warnings/);
  });
});

describe('theme:new scaffolder', () => {
  let dir: string;
  before(() => {
    dir = themesCopy();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]) => spawnSync(process.execPath, [fromRoot('scripts/theme-new.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, THEMES_DIR: dir } });

  it('creates a child theme that passes the checker and renders through its parent', () => {
    const res = run('corner-shop', '--parent', 'default');
    assert.equal(res.status, 0, res.stderr);
    for (const f of ['theme.json', 'partials/head-extra.hbs', 'assets/css/theme.css', 'locales/zh-CN.json', 'locales/en.json', 'README.md']) assert.ok(existsSync(join(dir, 'corner-shop', f)), f);
    assert.equal(JSON.parse(readFileSync(join(dir, 'corner-shop/theme.json'), 'utf8')).parent, 'default');
    const report = checkTheme({ themesDir: dir, name: 'corner-shop' });
    assert.deepEqual(report.findings, [], formatReport(report));
    const engine = new ThemeEngine(dir, 'corner-shop', { brandName: '街角小店', primaryColor: '#2f6f9f' }, () => []);
    const html = engine.render({ templates: ['home'], locale: 'zh-CN', data: { categories: [], featured: [], latest: [] } });
    assert.match(html, /\/themes\/corner-shop\/assets\/css\/theme\.css\?v(=|&#x3D;)[0-9a-f]{10}/);
    assert.equal(html.split('css/theme.css').length, 2, 'the head-extra hook is placed once');
    assert.match(html, /\/themes\/corner-shop\/assets\/css\/app\.css\?v(=|&#x3D;)[0-9a-f]{10}/, 'the parent stylesheet is inherited');
    assert.ok(html.includes('欢迎光临'), 'the locale override is used');
    assert.ok(html.includes('街角小店'));
  });

  it('refuses an existing folder, a bad name and a missing parent', () => {
    assert.equal(run('tea-house').status, 1);
    assert.equal(run('Bad Name').status, 1);
    assert.equal(run('another-shop', '--parent', 'nope').status, 1);
    assert.ok(!existsSync(join(dir, 'another-shop')));
  });
});

describe('theme engine: inheritance and helpers', () => {
  let dir: string;
  before(() => {
    dir = themesCopy();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const engineOf = (name: string, settings: Record<string, unknown> = {}, slots: SlotContribution[] = []) => new ThemeEngine(dir, name, settings, () => slots);
  let probe = 0;
  /** Renders `source` as a one-off template of the engine's theme, without the layout. */
  const render = (e: ThemeEngine, source: string, data: Record<string, unknown> = {}, locale: 'zh-CN' | 'en' = 'zh-CN') => {
    const name = `probe-${++probe}`;
    writeFileSync(join(dir, e.chain[0].name, 'templates', `${name}.hbs`), source);
    return e.render({ templates: [name], data, locale, layout: 'none' });
  };

  it('a child overrides a template, a partial, a locale string and an asset, and inherits the rest', () => {
    const e = engineOf('fx-leaf', { brandName: '子主题商店', fxBanner: 'FX-BANNER' });
    const home = e.render({ templates: ['home'], locale: 'zh-CN', data: { categories: [], featured: [], latest: [] } });
    assert.ok(home.includes('fx-home'), 'home.hbs from fx-child (the middle of the chain)');
    assert.ok(home.includes('<div class="fx-section-head">FX-SECTION</div>'), 'section-head partial from fx-child');
    assert.ok(home.includes('<span class="price-num">12.50</span>'), 'price partial inherited from default');
    assert.ok(home.includes('子主题商店欢迎你'), 'fx.hello from fx-child with a variable');
    assert.ok(home.includes('<span>子首页</span>'), 'the layout is inherited from default, with fx-child\'s nav.home string');
    assert.ok(home.includes('<span>购物车</span>'), 'strings fx-child does not override come from default');
    assert.match(home, /\/themes\/fx-leaf\/assets\/css\/app\.css\?v(=|&#x3D;)[0-9a-f]{10}/, 'asset URLs name the active theme');
    assert.equal(e.assetFile('css/app.css'), join(dir, 'fx-child/assets/css/app.css'), 'the child asset hides the parent one');
    assert.equal(e.assetFile('img/placeholder.svg'), join(dir, 'default/assets/img/placeholder.svg'), 'other assets are inherited');
    const candidates = (slug: string, category: string | null) => [`product-${slug}`, ...(category ? [`product-${category}`] : []), 'product'];
    const product = (slug: string, category: string | null) => e.render({ templates: candidates(slug, category), locale: 'zh-CN', layout: 'none',
      data: { product: { title: slug, slug, category: category ? { name: category, slug: category } : null, images: [], specNames: [], specOptions: [], variants: [], minPrice: 100 } } });
    assert.ok(product('fx-special', 'fx-teas').includes('fx-slug-template'), 'product-<slug> from fx-leaf wins');
    assert.ok(product('other', 'fx-teas').includes('fx-category-template'), 'then product-<category> from fx-child');
    assert.ok(product('other', 'cups').includes('data-page="product"') && !product('other', 'cups').includes('fx-'), 'then product from default');
  });

  it('formats money, yuan, dates, translations, asset hashes and page links', () => {
    const e = engineOf('fx-child', { brandName: 'B' });
    assert.equal(render(e, '{{money 1250}}|{{money 0}}|{{money 12.5}}|{{money "1250"}}|{{yuan 99}}'), '¥12.50|¥0.00|||0.99');
    assert.equal(render(e, '{{date d}}|{{date d "YYYY/MM/DD"}}|{{date bad}}', { d: '2026-01-31T16:30:00Z', bad: 'x' }), '2026-02-01 00:30|2026/02/01|');
    assert.equal(render(e, '{{t "fx.hello" name="茶"}}|{{t "nav.cart"}}|{{t "no.such.key"}}'), '茶欢迎你|购物车|no.such.key');
    assert.equal(render(e, '{{t "fx.hello" name="Tea"}}|{{t "nav.home"}}', {}, 'en'), 'Welcome to Tea|Child home');
    const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 10);
    assert.equal(render(e, '{{asset "css/app.css"}}'), `/themes/fx-child/assets/css/app.css?v&#x3D;${hash(join(dir, 'fx-child/assets/css/app.css'))}`);
    assert.equal(e.assetUrl('js/app.js'), `/themes/fx-child/assets/js/app.js?v=${hash(join(dir, 'default/assets/js/app.js'))}`, 'inherited asset, hashed');
    assert.notEqual(hash(join(dir, 'fx-child/assets/css/app.css')), hash(join(dir, 'default/assets/css/app.css')));
    assert.equal(e.assetUrl('css/none.css'), '/themes/fx-child/assets/css/none.css', 'a missing asset has no hash');
    assert.equal(e.assetFile('../theme.json'), null);
    assert.equal(render(e, '{{paginate 2 5 "/search?q=茶"}}'),
      '<nav class="pagination"><a class="page-prev" href="/search?q&#x3D;茶&amp;page&#x3D;1">‹</a><a href="/search?q&#x3D;茶&amp;page&#x3D;1">1</a><span class="page-current">2</span><a href="/search?q&#x3D;茶&amp;page&#x3D;3">3</a><a href="/search?q&#x3D;茶&amp;page&#x3D;4">4</a><a href="/search?q&#x3D;茶&amp;page&#x3D;5">5</a><a class="page-next" href="/search?q&#x3D;茶&amp;page&#x3D;3">›</a></nav>');
    assert.equal(render(e, '{{paginate 1 1 "/x"}}'), '');
    assert.equal(render(e, '{{setting "fxBanner"}}|{{setting "brandName"}}'), '|B', 'settings come from what the service passes');
    assert.equal(render(e, '{{title}}|{{{html}}}', { title: '<b>', html: '<i>ok</i>' }), '&lt;b&gt;|<i>ok</i>');
    assert.equal(render(e, '{{concat "a" 1}}|{{#if (and (eq 1 1) (gt 2 1) (not false))}}y{{/if}}|{{inc 1}}|{{json x}}', { x: { a: '</script>' } }), 'a1|y|2|{"a":"\\u003c/script>"}');
  });

  it('renders slot contributions where the template places the slot, with their data', () => {
    const contribution: SlotContribution = { pluginId: 'probe', slot: 'home.top', template: '<b>{{slot.n}} {{theme.name}}</b>' };
    const e = engineOf('fx-child', {}, [contribution]);
    const html = e.render({ templates: ['home'], locale: 'zh-CN', layout: 'none', data: { latest: [] }, slots: new Map([[contribution, { n: 7 }]]) });
    assert.ok(!html.includes('slot-probe'), 'fx-child home does not place home.top');
    writeFileSync(join(dir, 'fx-child/templates/slot-probe.hbs'), '<main>{{slot "home.top"}}</main>');
    const placed = e.render({ templates: ['slot-probe'], locale: 'zh-CN', layout: 'none', data: {}, slots: new Map([[contribution, { n: 7 }]]) });
    assert.equal(placed, '<main><div class="slot slot-probe"><b>7 fx-child</b></div></main>');
    const skipped = e.render({ templates: ['slot-probe'], locale: 'zh-CN', layout: 'none', data: {}, slots: new Map() });
    assert.equal(skipped, '<main></main>', 'a contribution whose loader returned null is skipped');
  });
});
