import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Handlebars from 'handlebars';
import { DomainError } from '../common/errors.js';
import { parseVersion } from '../plugin/semver.js';
import { coreHelpers } from './helpers.js';
import { KNOWN_SLOTS } from './slot-registry.js';
import { REQUIRED_TEMPLATES, type ThemeManifest, type ThemeSettingSpec } from './theme-manifest.js';

/**
 * THE THEME CHECKER: validates a theme folder (and the chain of parents it inherits from) before it
 * reaches a shopper. Pure: it reads files and returns a report; it never throws for a broken theme.
 * Used by `npm run theme:check <folder>` and by ThemeService.setActive (activation is refused when
 * the report has errors). Rule codes are stable; docs/themes.md lists them.
 */

export type FindingLevel = 'error' | 'warning';

export interface ThemeFinding {
  code: string;
  level: FindingLevel;
  /** Path relative to the themes folder, e.g. "tea-house/templates/home.hbs". */
  file: string;
  line?: number;
  message: string;
  help: string;
}

export interface ThemeCheckReport {
  theme: string;
  themesDir: string;
  /** The chain that was checked, child first. */
  chain: string[];
  ok: boolean;
  errors: number;
  warnings: number;
  findings: ThemeFinding[];
}

export interface InstalledPlugin {
  id: string;
  /** Helper names the plugin registers (without the "<id>:" prefix); undefined = not known, accept any. */
  helpers?: string[];
}

export interface ThemeCheckOptions {
  /** Folder holding one sub-folder per theme. */
  themesDir: string;
  /** The theme's folder name. */
  name: string;
  /** Plugins whose `<id>:<name>` helpers may be used. */
  plugins?: InstalledPlugin[];
  /** More helper names that exist at render time (besides core, built-in and theme-bound ones). */
  extraHelpers?: string[];
  /** Slot names besides KNOWN_SLOTS that some installed plugin fills. */
  extraSlots?: string[];
}

interface RuleSpec {
  level: FindingLevel;
  title: string;
  help: string;
}

/** Every rule the checker applies. Codes never change meaning; new rules get new codes. */
export const THEME_RULES = {
  'THEME-MANIFEST-001': { level: 'error', title: 'theme.json is missing or not valid JSON', help: 'Every theme folder needs a theme.json with at least {"name": "<folder>", "version": "1.0.0"}.' },
  'THEME-MANIFEST-002': { level: 'error', title: 'A required manifest field is missing or has the wrong type', help: '"name" and "version" are required strings; "parent", "description" are optional strings; "settings" is an optional object.' },
  'THEME-MANIFEST-003': { level: 'error', title: 'The version is not a semantic version', help: 'Use MAJOR.MINOR.PATCH, e.g. "1.0.0" or "1.2.0-beta.1".' },
  'THEME-MANIFEST-004': { level: 'error', title: 'The parent theme is not installed', help: 'Install the parent theme folder next to this one (themes/<parent>), or fix the "parent" name.' },
  'THEME-MANIFEST-005': { level: 'error', title: 'The parent chain has a cycle', help: 'A theme cannot inherit from itself, directly or through its parents: the chain must end at a theme without "parent" (usually "default").' },
  'THEME-MANIFEST-006': { level: 'error', title: 'A setting spec is invalid', help: 'Setting names are letters, digits and _ (starting with a letter); "type" is one of color, text, image, boolean, select; "label" is a string.' },
  'THEME-MANIFEST-007': { level: 'error', title: 'A setting default has the wrong type', help: 'color: "#rgb"/"#rrggbb"; text and image: a string (image: a URL or ""); boolean: true/false; select: one of "options".' },
  'THEME-MANIFEST-008': { level: 'error', title: 'A select setting has no valid options', help: 'A select setting needs "options": a non-empty list of distinct strings.' },
  'THEME-MANIFEST-009': { level: 'warning', title: 'The manifest name differs from the folder name', help: 'Themes are activated by folder name; keep "name" equal to it to avoid confusion.' },
  'THEME-SYNTAX-001': { level: 'error', title: 'A template does not parse', help: 'Fix the Handlebars syntax at the line shown (unclosed {{, a block closed with the wrong name, …).' },
  'THEME-HELPER-001': { level: 'error', title: 'Unknown helper', help: 'Use a core helper (money, yuan, date, eq, ne, gt, lt, and, or, not, inc, concat, includes, json, paginate), a built-in (if, unless, each, with, lookup, log), a theme helper (t, asset, setting, slot) or a plugin helper named "<pluginId>:<name>". A call to a missing helper fails the page.' },
  'THEME-HELPER-002': { level: 'warning', title: 'Plugin helper of a plugin that is not installed', help: 'The page fails while the plugin is missing: guard the call, or install and enable the plugin.' },
  'THEME-HELPER-003': { level: 'warning', title: 'The plugin does not register this helper', help: 'Check the helper name in the plugin\'s documentation (plugins register helpers as "<pluginId>:<name>").' },
  'THEME-PARTIAL-001': { level: 'error', title: 'Partial not found in the theme chain', help: 'Add partials/<name>.hbs to this theme or a parent, fix the name, or use a partial block {{#> name}}fallback{{/name}}.' },
  'THEME-SLOT-001': { level: 'warning', title: 'Unknown slot name', help: `Plugins fill the slots the default theme places: ${KNOWN_SLOTS.join(', ')}. Other names only render what a plugin targets by that exact name.` },
  'THEME-SETTING-001': { level: 'warning', title: 'Setting used but not declared', help: 'Declare the setting in theme.json "settings" (this theme or a parent) so it has a default and appears in the admin form.' },
  'THEME-TEMPLATE-001': { level: 'error', title: 'Required template missing from the chain', help: `The theme or its parents must provide templates/<name>.hbs for: ${[...REQUIRED_TEMPLATES, 'sandbox-pay'].join(', ')}. Inherit from "default" to get them all.` },
  'THEME-XSS-001': { level: 'warning', title: 'Unescaped output {{{ }}}', help: 'Triple braces print raw HTML: only `body` (the layout) and `descriptionHtml` (sanitized product descriptions) are safe. Use {{ }} for everything else.' },
  'THEME-LOCALE-001': { level: 'warning', title: 'Locale key missing in zh-CN', help: 'Add the key to locales/zh-CN.json of this theme or a parent; shoppers otherwise see the raw key.' },
  'THEME-LOCALE-002': { level: 'warning', title: 'Locale key missing in en', help: 'Add the key to locales/en.json of this theme or a parent; English visitors otherwise see the Chinese text.' },
  'THEME-LOCALE-003': { level: 'error', title: 'A locale file is not valid JSON', help: 'locales/<locale>.json holds nested objects of strings, e.g. {"home": {"featured": "为你推荐"}}.' },
  'THEME-ASSET-001': { level: 'error', title: 'Asset not found in the theme chain', help: 'Put the file under assets/ of this theme or a parent; {{asset "css/x.css"}} resolves assets/css/x.css child first.' },
} as const satisfies Record<string, RuleSpec>;

export type ThemeRuleCode = keyof typeof THEME_RULES;

/** Helpers every template may call: Handlebars built-ins, core helpers and the engine's theme-bound ones. */
export const BUILTIN_HELPERS = ['if', 'unless', 'each', 'with', 'lookup', 'log'] as const;
export const THEME_BOUND_HELPERS = ['t', 'asset', 'setting', 'slot'] as const;
export const EXTRA_REQUIRED_TEMPLATES = ['sandbox-pay'] as const;
const RAW_ALLOWED = new Set(['body', 'descriptionHtml']);
const SETTING_TYPES = new Set(['color', 'text', 'image', 'boolean', 'select']);
const COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;
const SETTING_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Refused activation: a 409 carrying the checker's report. */
export class ThemeInvalidError extends DomainError {
  constructor(readonly report: ThemeCheckReport) {
    const shown = report.findings.filter((f) => f.level === 'error').slice(0, 5).map((f) => `${f.code} ${f.file}${f.line ? `:${f.line}` : ''} ${f.message}`);
    super(409, 'theme_invalid', `theme "${report.theme}" has ${report.errors} error(s): ${shown.join('; ')}${report.errors > shown.length ? '; …' : ''}`);
    this.name = 'ThemeInvalidError';
  }
}

interface Layer {
  name: string;
  dir: string;
  manifest: Partial<ThemeManifest>;
}

interface Ctx {
  opts: ThemeCheckOptions;
  findings: ThemeFinding[];
  seen: Set<string>;
}

function add(ctx: Ctx, code: ThemeRuleCode, file: string, message: string, line?: number): void {
  const key = `${code}|${file}|${line ?? ''}|${message}`;
  if (ctx.seen.has(key)) return;
  ctx.seen.add(key);
  const rule = THEME_RULES[code];
  ctx.findings.push({ code, level: rule.level, file, ...(line ? { line } : {}), message, help: rule.help });
}

/** Checks the theme `name` in `themesDir`: its manifest, every template, partial and layout it renders with (its own or inherited), locales and assets. */
export function checkTheme(opts: ThemeCheckOptions): ThemeCheckReport {
  const ctx: Ctx = { opts, findings: [], seen: new Set() };
  const { chain, complete } = readChain(ctx);
  if (chain.length) {
    const declared = new Set<string>();
    for (const layer of chain) for (const k of Object.keys(layer.manifest.settings ?? {})) declared.add(k);
    const locales = { 'zh-CN': mergedLocale(ctx, chain, 'zh-CN'), en: mergedLocale(ctx, chain, 'en') };
    const partials = collect(chain, 'partials');
    const templates = collect(chain, 'templates');
    const layouts = collect(chain, 'layouts');
    // (with a broken chain the missing parent would supply them: its MANIFEST finding says enough)
    for (const required of complete ? [...REQUIRED_TEMPLATES, ...EXTRA_REQUIRED_TEMPLATES] : []) {
      if (!templates.has(required)) add(ctx, 'THEME-TEMPLATE-001', `${opts.name}/templates/${required}.hbs`, `template "${required}" is not in ${chain.map((l) => `"${l.name}"`).join(' or ')}`);
    }
    const helpers = new Set<string>([...Object.keys(coreHelpers()), ...BUILTIN_HELPERS, ...THEME_BOUND_HELPERS, ...(opts.extraHelpers ?? [])]);
    const plugins = new Map((opts.plugins ?? []).map((p) => [p.id, p.helpers ? new Set(p.helpers) : null]));
    const slots = new Set<string>([...KNOWN_SLOTS, ...(opts.extraSlots ?? [])]);
    const files = [...layouts.values(), ...templates.values(), ...partials.values()];
    for (const file of files) {
      checkTemplate(ctx, file, { chain, declared, locales, partials: new Set(partials.keys()), helpers, plugins, slots });
    }
  }
  const order = (f: ThemeFinding) => (f.level === 'error' ? 0 : 1);
  const manifestFirst = (f: ThemeFinding) => (f.file.endsWith('/theme.json') ? 0 : 1);
  const findings = ctx.findings.sort((a, b) => order(a) - order(b) || manifestFirst(a) - manifestFirst(b) || a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || a.code.localeCompare(b.code));
  const errors = findings.filter((f) => f.level === 'error').length;
  return { theme: opts.name, themesDir: opts.themesDir, chain: chain.map((l) => l.name), ok: errors === 0, errors, warnings: findings.length - errors, findings };
}

// ---------------------------------------------------------------------------------------------
// manifest and chain
// ---------------------------------------------------------------------------------------------

/** The theme and its parents, child first; `complete` when it ends at a readable theme without a parent. */
function readChain(ctx: Ctx): { chain: Layer[]; complete: boolean } {
  const chain: Layer[] = [];
  let complete = false;
  const visited: string[] = [];
  let current: string | undefined = ctx.opts.name;
  while (current) {
    if (visited.includes(current)) {
      add(ctx, 'THEME-MANIFEST-005', `${visited[visited.length - 1]}/theme.json`, `parent chain ${[...visited, current].map((n) => `"${n}"`).join(' → ')} loops back to "${current}"`);
      break;
    }
    const child = visited[visited.length - 1];
    visited.push(current);
    const dir = join(ctx.opts.themesDir, current);
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(current) || !existsSync(dir) || !statSync(dir).isDirectory()) {
      if (child) add(ctx, 'THEME-MANIFEST-004', `${child}/theme.json`, `parent theme "${current}" is not installed in ${ctx.opts.themesDir}`);
      else add(ctx, 'THEME-MANIFEST-001', `${current}/theme.json`, `theme folder ${dir} does not exist`);
      break;
    }
    const manifest = readManifestFile(ctx, current, dir);
    if (!manifest) {
      if (child) add(ctx, 'THEME-MANIFEST-004', `${child}/theme.json`, `parent theme "${current}" has no readable theme.json`);
      if (!child) chain.push({ name: current, dir, manifest: {} });
      break;
    }
    chain.push({ name: current, dir, manifest });
    current = typeof manifest.parent === 'string' && manifest.parent ? manifest.parent : undefined;
    if (!current) complete = true;
  }
  return { chain, complete };
}

function readManifestFile(ctx: Ctx, name: string, dir: string): Partial<ThemeManifest> | null {
  const file = `${name}/theme.json`;
  const path = join(dir, 'theme.json');
  if (!existsSync(path)) {
    add(ctx, 'THEME-MANIFEST-001', file, 'theme.json is missing');
    return null;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    add(ctx, 'THEME-MANIFEST-001', file, `theme.json is not valid JSON: ${(err as Error).message}`);
    return null;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    add(ctx, 'THEME-MANIFEST-001', file, 'theme.json must hold an object');
    return null;
  }
  const m = raw as Record<string, unknown>;
  if (typeof m.name !== 'string' || !m.name) add(ctx, 'THEME-MANIFEST-002', file, '"name" is required (a string)');
  else if (m.name !== name) add(ctx, 'THEME-MANIFEST-009', file, `"name" is "${m.name}" but the folder is "${name}"`);
  if (typeof m.version !== 'string' || !m.version) add(ctx, 'THEME-MANIFEST-002', file, '"version" is required (a string such as "1.0.0")');
  else if (!parseVersion(m.version) || m.version.trim().startsWith('v')) add(ctx, 'THEME-MANIFEST-003', file, `"version" "${m.version}" is not MAJOR.MINOR.PATCH`);
  for (const k of ['parent', 'description'] as const) {
    if (m[k] !== undefined && typeof m[k] !== 'string') add(ctx, 'THEME-MANIFEST-002', file, `"${k}" must be a string`);
  }
  if (m.parent === name) add(ctx, 'THEME-MANIFEST-005', file, `theme "${name}" names itself as its parent`);
  const settings: Record<string, ThemeSettingSpec> = {};
  if (m.settings !== undefined) {
    if (!m.settings || typeof m.settings !== 'object' || Array.isArray(m.settings)) add(ctx, 'THEME-MANIFEST-002', file, '"settings" must be an object of setting specs');
    else {
      for (const [key, spec] of Object.entries(m.settings as Record<string, unknown>)) {
        if (checkSettingSpec(ctx, file, key, spec)) settings[key] = spec as ThemeSettingSpec;
      }
    }
  }
  return { ...(m as Partial<ThemeManifest>), parent: m.parent === name ? undefined : (m.parent as string | undefined), settings };
}

function checkSettingSpec(ctx: Ctx, file: string, key: string, spec: unknown): boolean {
  const where = `setting "${key}"`;
  if (!SETTING_NAME.test(key)) add(ctx, 'THEME-MANIFEST-006', file, `${where}: the name must be letters, digits and _ and start with a letter`);
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) {
    add(ctx, 'THEME-MANIFEST-006', file, `${where} must be an object such as {"type": "color", "default": "#ee0a24"}`);
    return false;
  }
  const s = spec as Record<string, unknown>;
  if (typeof s.type !== 'string' || !SETTING_TYPES.has(s.type)) {
    add(ctx, 'THEME-MANIFEST-006', file, `${where}: type ${JSON.stringify(s.type ?? null)} is not one of color, text, image, boolean, select`);
    return false;
  }
  if (s.label !== undefined && typeof s.label !== 'string') add(ctx, 'THEME-MANIFEST-006', file, `${where}: "label" must be a string`);
  if (!('default' in s)) {
    add(ctx, 'THEME-MANIFEST-007', file, `${where} has no "default"`);
    return true;
  }
  const d = s.default;
  switch (s.type) {
    case 'color':
      if (typeof d !== 'string' || !COLOR.test(d)) add(ctx, 'THEME-MANIFEST-007', file, `${where}: default ${JSON.stringify(d)} is not a colour like "#ee0a24"`);
      break;
    case 'text':
    case 'image':
      if (typeof d !== 'string') add(ctx, 'THEME-MANIFEST-007', file, `${where}: default must be a string, not ${JSON.stringify(d)}`);
      break;
    case 'boolean':
      if (typeof d !== 'boolean') add(ctx, 'THEME-MANIFEST-007', file, `${where}: default must be true or false, not ${JSON.stringify(d)}`);
      break;
    case 'select': {
      const options = s.options;
      const valid = Array.isArray(options) && options.length > 0 && options.every((o) => typeof o === 'string' && o) && new Set(options).size === options.length;
      if (!valid) add(ctx, 'THEME-MANIFEST-008', file, `${where}: "options" must be a non-empty list of distinct strings`);
      else if (typeof d !== 'string' || !(options as string[]).includes(d)) add(ctx, 'THEME-MANIFEST-007', file, `${where}: default ${JSON.stringify(d)} is not one of the options ${JSON.stringify(options)}`);
      break;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// files of the chain
// ---------------------------------------------------------------------------------------------

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

interface ChainFile {
  /** Name relative to the sub-folder, without .hbs ("icons/home", "plugins/coupons/centre"). */
  name: string;
  /** Path relative to the themes folder, for findings. */
  rel: string;
  path: string;
}

/** The effective .hbs files below `sub`: a child's file hides its parent's. */
function collect(chain: Layer[], sub: string): Map<string, ChainFile> {
  const out = new Map<string, ChainFile>();
  for (const layer of [...chain].reverse()) {
    const base = join(layer.dir, sub);
    for (const path of walk(base)) {
      if (!path.endsWith('.hbs')) continue;
      const name = relative(base, path).slice(0, -4).split('\\').join('/');
      out.set(name, { name, rel: `${layer.name}/${sub}/${name}.hbs`, path });
    }
  }
  return out;
}

function mergedLocale(ctx: Ctx, chain: Layer[], locale: string): Map<string, string> {
  const merged = new Map<string, string>();
  for (const layer of [...chain].reverse()) {
    const path = join(layer.dir, 'locales', `${locale}.json`);
    if (!existsSync(path)) continue;
    try {
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the file must hold an object');
      flatten(parsed as Record<string, unknown>, '', merged);
    } catch (err) {
      add(ctx, 'THEME-LOCALE-003', `${layer.name}/locales/${locale}.json`, `not valid JSON: ${(err as Error).message}`);
    }
  }
  return merged;
}

function flatten(obj: Record<string, unknown>, prefix: string, out: Map<string, string>): void {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') flatten(v as Record<string, unknown>, key, out);
    else out.set(key, String(v));
  }
}

function assetExists(chain: Layer[], path: string): boolean {
  if (!path || path.includes('..') || path.startsWith('/')) return false;
  return chain.some((l) => {
    const file = join(l.dir, 'assets', path);
    return existsSync(file) && statSync(file).isFile();
  });
}

// ---------------------------------------------------------------------------------------------
// one template
// ---------------------------------------------------------------------------------------------

interface TemplateEnv {
  chain: Layer[];
  declared: Set<string>;
  locales: { 'zh-CN': Map<string, string>; en: Map<string, string> };
  partials: Set<string>;
  helpers: Set<string>;
  plugins: Map<string, Set<string> | null>;
  slots: Set<string>;
}

type Node = hbs.AST.Node;
type Path = hbs.AST.PathExpression;
type Call = hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression;

const SETTING_PATH = /^(?:@root\.|(?:\.\.\/)+)?theme\.settings\.([^.\s/[\]]+)/;

function checkTemplate(ctx: Ctx, file: ChainFile, env: TemplateEnv): void {
  const source = readFileSync(file.path, 'utf8');
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(source);
    Handlebars.precompile(source);
  } catch (err) {
    const e = err as Error & { lineNumber?: number };
    // parse errors say "Parse error on line N:"; block mismatches carry lineNumber
    const line = e.lineNumber ?? Number((/line (\d+)/.exec(e.message) ?? [])[1]);
    const lines = e.message.split('\n');
    const message = lines.length > 2 ? `${lines[0]} ${lines[lines.length - 1]}` : lines[0].replace(/ - \d+:\d+$/, '');
    add(ctx, 'THEME-SYNTAX-001', file.rel, message, Number.isFinite(line) && line > 0 ? line : undefined);
    return;
  }
  const inlinePartials = new Set<string>();
  const calls: Array<{ node: Call; name: string }> = [];
  const partialRefs: Array<{ name: string; line: number }> = [];
  const paths: Path[] = [];
  const raw: hbs.AST.MustacheStatement[] = [];

  const visit = (node: Node | null | undefined): void => {
    if (!node) return;
    switch (node.type) {
      case 'Program':
        for (const s of (node as hbs.AST.Program).body) visit(s);
        break;
      case 'MustacheStatement':
      case 'BlockStatement':
      case 'SubExpression':
      case 'Decorator':
      case 'DecoratorBlock': {
        const n = node as Call & { escaped?: boolean; program?: hbs.AST.Program; inverse?: hbs.AST.Program };
        if (node.type === 'DecoratorBlock' || node.type === 'Decorator') {
          const first = n.params[0];
          if (first?.type === 'StringLiteral') inlinePartials.add((first as hbs.AST.StringLiteral).value);
        } else {
          const name = helperName(n);
          if (name) calls.push({ node: n, name });
          if (node.type === 'MustacheStatement' && n.escaped === false) raw.push(n as hbs.AST.MustacheStatement);
        }
        if (n.path.type === 'PathExpression') paths.push(n.path as Path);
        else visit(n.path);
        for (const p of n.params) visit(p);
        for (const pair of n.hash?.pairs ?? []) visit(pair.value);
        visit(n.program);
        visit(n.inverse);
        break;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const n = node as hbs.AST.PartialStatement & { program?: hbs.AST.Program };
        const nameNode = n.name as Node;
        // a partial block renders its own content when the partial is missing: not an error
        if (node.type === 'PartialStatement') {
          if (nameNode.type === 'PathExpression') partialRefs.push({ name: (nameNode as Path).original, line: n.loc.start.line });
          else if (nameNode.type === 'StringLiteral') partialRefs.push({ name: (nameNode as hbs.AST.StringLiteral).value, line: n.loc.start.line });
        }
        if (nameNode.type === 'SubExpression') visit(nameNode);
        for (const p of n.params) visit(p);
        for (const pair of n.hash?.pairs ?? []) visit(pair.value);
        visit(n.program);
        break;
      }
      case 'PathExpression':
        paths.push(node as Path);
        break;
      default:
        break;
    }
  };
  visit(ast);

  for (const { node, name } of calls) {
    const line = node.loc.start.line;
    const first = node.params[0];
    const literal = first && first.type === 'StringLiteral' ? (first as hbs.AST.StringLiteral).value : null;
    const colon = name.indexOf(':');
    if (colon > 0) {
      const pluginId = name.slice(0, colon);
      const helper = name.slice(colon + 1);
      if (!env.plugins.has(pluginId)) add(ctx, 'THEME-HELPER-002', file.rel, `helper "${name}": plugin "${pluginId}" is not installed`, line);
      else {
        const known = env.plugins.get(pluginId);
        if (known && !known.has(helper)) add(ctx, 'THEME-HELPER-003', file.rel, `plugin "${pluginId}" registers no helper "${helper}"${known.size ? ` (it has ${[...known].map((h) => `${pluginId}:${h}`).join(', ')})` : ''}`, line);
      }
      continue;
    }
    if (!env.helpers.has(name)) {
      add(ctx, 'THEME-HELPER-001', file.rel, `unknown helper "${name}"`, line);
      continue;
    }
    if (literal === null) continue;
    if (name === 'slot' && !env.slots.has(literal)) add(ctx, 'THEME-SLOT-001', file.rel, `slot "${literal}" is not a known slot name`, line);
    if (name === 'setting' && !env.declared.has(literal)) add(ctx, 'THEME-SETTING-001', file.rel, `setting "${literal}" is not declared in theme.json`, line);
    if (name === 'asset' && !assetExists(env.chain, literal)) add(ctx, 'THEME-ASSET-001', file.rel, `asset "${literal}" is not in ${env.chain.map((l) => `${l.name}/assets`).join(' or ')}`, line);
    if (name === 't') {
      if (!env.locales['zh-CN'].has(literal)) add(ctx, 'THEME-LOCALE-001', file.rel, `locale key "${literal}" is missing in zh-CN`, line);
      if (!env.locales.en.has(literal)) add(ctx, 'THEME-LOCALE-002', file.rel, `locale key "${literal}" is missing in en`, line);
    }
  }

  for (const ref of partialRefs) {
    if (ref.name === '@partial-block' || inlinePartials.has(ref.name) || env.partials.has(ref.name)) continue;
    add(ctx, 'THEME-PARTIAL-001', file.rel, `partial "${ref.name}" is not in ${env.chain.map((l) => `${l.name}/partials`).join(' or ')}`, ref.line);
  }

  for (const p of paths) {
    const m = SETTING_PATH.exec(p.original);
    if (m && !env.declared.has(m[1])) add(ctx, 'THEME-SETTING-001', file.rel, `theme.settings.${m[1]} is not declared in theme.json`, p.loc.start.line);
  }

  for (const n of raw) {
    const target = n.path.type === 'PathExpression' ? (n.path as Path) : null;
    const last = target && !n.params.length && !n.hash ? target.parts[target.parts.length - 1] : null;
    if (last && RAW_ALLOWED.has(last)) continue;
    const shown = target ? target.original : n.path.type;
    add(ctx, 'THEME-XSS-001', file.rel, `{{{${shown}}}} prints unescaped HTML`, n.loc.start.line);
  }
}

/** The helper a node calls, or null when it is a plain value lookup ({{title}}, {{#items}}). */
function helperName(n: Call): string | null {
  if (n.path.type !== 'PathExpression') return null;
  const p = n.path as Path;
  if (p.data || p.depth > 0 || p.parts.length !== 1 || /^(this|\.)/.test(p.original)) return null;
  const isCall = n.type === 'SubExpression' || n.params.length > 0 || !!n.hash;
  return isCall ? p.parts[0] : null;
}

// ---------------------------------------------------------------------------------------------
// output and inputs
// ---------------------------------------------------------------------------------------------

/** Plugin folders (those with a manifest.json) below `pluginsDir`: their ids; helper names are not known without loading them. */
export function installedPlugins(pluginsDir: string): InstalledPlugin[] {
  if (!existsSync(pluginsDir)) return [];
  const out: InstalledPlugin[] = [];
  for (const name of readdirSync(pluginsDir).sort()) {
    const manifest = join(pluginsDir, name, 'manifest.json');
    if (!existsSync(manifest)) continue;
    try {
      const id = (JSON.parse(readFileSync(manifest, 'utf8')) as { id?: unknown }).id;
      out.push({ id: typeof id === 'string' ? id : name });
    } catch {
      out.push({ id: name });
    }
  }
  return out;
}

/** Running plugins from registered helper names ("coupons:badge", "coupons:t" …). */
export function pluginsFromHelpers(helperNames: string[]): InstalledPlugin[] {
  const byId = new Map<string, string[]>();
  for (const full of helperNames) {
    const i = full.indexOf(':');
    if (i <= 0) continue;
    const list = byId.get(full.slice(0, i)) ?? [];
    list.push(full.slice(i + 1));
    byId.set(full.slice(0, i), list);
  }
  return [...byId].map(([id, helpers]) => ({ id, helpers }));
}

/** The report for people: errors, then warnings, each with its rule code, place, message and help. */
export function formatReport(report: ThemeCheckReport, opts: { color?: boolean } = {}): string {
  const paint = (code: string, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const lines: string[] = [];
  lines.push(`Theme "${report.theme}" (chain: ${report.chain.join(' → ') || report.theme}): ${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}`);
  for (const level of ['error', 'warning'] as const) {
    const list = report.findings.filter((f) => f.level === level);
    if (!list.length) continue;
    lines.push('', paint(level === 'error' ? '1;31' : '1;33', level === 'error' ? `Errors (${list.length})` : `Warnings (${list.length})`));
    for (const f of list) {
      lines.push(`  ${paint(level === 'error' ? '31' : '33', f.code)}  ${f.file}${f.line ? `:${f.line}` : ''}`);
      lines.push(`    ${f.message}`);
      lines.push(paint('2', `    help: ${f.help}`));
    }
  }
  lines.push('', report.ok ? paint('32', report.warnings ? 'OK: no errors (warnings are advice).' : 'OK: the theme passes every check.') : paint('31', 'FAILED: fix the errors before activating this theme.'));
  return lines.join('\n');
}
