import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromRoot } from '../common/paths.js';
import { ADMIN_DIR, AdminViews, type AdminLocale } from '../admin/admin-views.js';
import type { AdminUser } from '../admin/entities/admin-user.entity.js';
import { coreHelpers } from './helpers.js';

const VIEWS_DIR = fromRoot('core/theme/views');

/** Strings of the themes admin page; the layout's own strings come from core/admin/locales. */
const STRINGS: Record<AdminLocale, Record<string, string>> = {
  'zh-CN': {
    'themes.title': '主题',
    'themes.intro': '主题决定商城的外观。子主题继承父主题，只覆盖需要改变的模板、片段、文案和样式。启用前会先运行主题检查，有错误的主题不能启用。',
    'themes.installed': '已安装的主题',
    'themes.active': '使用中',
    'themes.activate': '启用',
    'themes.version': '版本',
    'themes.parent': '父主题',
    'themes.noParent': '无（基础主题）',
    'themes.noScreenshot': '暂无截图',
    'themes.checkOk': '检查通过',
    'themes.checkWarnings': '{n} 条提示',
    'themes.checkErrors': '{n} 个错误',
    'themes.viewReport': '查看检查报告',
    'themes.refused': '主题“{name}”未能启用：检查发现 {n} 个错误。请修复后再试（命令行：npm run theme:check themes/{name}）。',
    'themes.report': '“{name}”的检查报告',
    'themes.reportOk': '没有错误。',
    'themes.errors': '错误',
    'themes.warnings': '提示',
    'themes.settings': '“{name}”的主题设置',
    'themes.settingsIntro': '设置保存在本商城的数据库中，立即生效，无需重启。留空的文字项使用主题默认值。',
    'themes.noSettings': '这个主题没有可调整的设置。',
    'themes.default': '默认：{value}',
    'themes.save': '保存设置',
    'themes.activated': '主题已启用',
    'themes.saved': '主题设置已保存',
    'themes.invalid.color': '请填写 #rrggbb 格式的颜色',
    'themes.invalid.text': '文字太长（最多 {max} 个字符）',
    'themes.invalid.image': '请填写以 https:// 或 / 开头的图片地址，或留空',
    'themes.invalid.select': '请选择列表中的一项',
    'themes.invalid.boolean': '请勾选或取消勾选',
    'themes.invalid.unknown': '这个主题没有名为 {name} 的设置',
  },
  en: {
    'themes.title': 'Themes',
    'themes.intro': 'A theme decides how the shop looks. A child theme inherits from its parent and overrides only the templates, partials, strings and styles it changes. Activation runs the theme checker first: a theme with errors cannot be activated.',
    'themes.installed': 'Installed themes',
    'themes.active': 'Active',
    'themes.activate': 'Activate',
    'themes.version': 'Version',
    'themes.parent': 'Parent',
    'themes.noParent': 'none (a base theme)',
    'themes.noScreenshot': 'No screenshot',
    'themes.checkOk': 'Passes the check',
    'themes.checkWarnings': '{n} warning(s)',
    'themes.checkErrors': '{n} error(s)',
    'themes.viewReport': 'View the check report',
    'themes.refused': 'Theme "{name}" was not activated: the check found {n} error(s). Fix them and try again (command line: npm run theme:check themes/{name}).',
    'themes.report': 'Check report of "{name}"',
    'themes.reportOk': 'No errors.',
    'themes.errors': 'Errors',
    'themes.warnings': 'Warnings',
    'themes.settings': 'Settings of "{name}"',
    'themes.settingsIntro': 'Settings are stored in this shop\'s database and apply at once, without a restart. Empty text fields use the theme\'s default.',
    'themes.noSettings': 'This theme has no settings.',
    'themes.default': 'Default: {value}',
    'themes.save': 'Save settings',
    'themes.activated': 'Theme activated',
    'themes.saved': 'Theme settings saved',
    'themes.invalid.color': 'Enter a colour as #rrggbb',
    'themes.invalid.text': 'Too long (at most {max} characters)',
    'themes.invalid.image': 'Enter an image URL starting with https:// or /, or leave it empty',
    'themes.invalid.select': 'Choose one of the options',
    'themes.invalid.boolean': 'Tick or untick the box',
    'themes.invalid.unknown': 'This theme has no setting named {name}',
  },
};

/**
 * Renders core/theme/views/<view>.hbs inside the back office layout (core/admin/views/layout.hbs), with
 * the admin's helpers, asset URLs and language switch, so the themes page looks like every admin page.
 */
@Injectable()
export class ThemeAdminViews {
  private readonly hb = Handlebars.create();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();

  constructor(private readonly admin: AdminViews) {
    for (const [k, fn] of Object.entries(coreHelpers())) this.hb.registerHelper(k, fn);
    const views = this;
    this.hb.registerHelper('t', function (key: unknown, ...rest: unknown[]) {
      const options = rest[rest.length - 1] as Handlebars.HelperOptions;
      const locale = (options.data as { locale?: AdminLocale }).locale ?? 'zh-CN';
      return views.translate(locale, String(key), options.hash as Record<string, unknown>);
    });
    this.hb.registerHelper('asset', (name: unknown) => this.admin.assetUrl(String(name)));
  }

  translate(locale: AdminLocale, key: string, vars: Record<string, unknown> = {}): string {
    const own = STRINGS[locale][key] ?? STRINGS['zh-CN'][key];
    if (own === undefined) return this.admin.translate(locale, key, vars);
    return own.replace(/\{(\w+)\}/g, (_m, k: string) => (vars[k] === undefined ? `{${k}}` : String(vars[k])));
  }

  locale(req: FastifyRequest, reply?: FastifyReply): AdminLocale {
    return this.admin.locale(req, reply);
  }

  render(req: FastifyRequest, reply: FastifyReply, view: string, data: Record<string, unknown>, opts: { admin: AdminUser | null; csrf: string; status?: number; flash?: string }): void {
    const locale = this.admin.locale(req, reply);
    const url = new URL(req.url, 'http://admin.local');
    for (const k of ['lang', 'ok']) url.searchParams.delete(k);
    const other = locale === 'en' ? 'zh-CN' : 'en';
    url.searchParams.set('lang', other);
    const root = {
      ...data,
      locale,
      csrf: opts.csrf,
      nav: 'themes',
      title: 'themes.title',
      bare: false,
      admin: opts.admin ? { id: opts.admin.id, email: opts.admin.email, role: opts.admin.role } : null,
      langUrl: `${url.pathname}${url.search}`,
      otherLang: other,
      flash: opts.flash ?? '',
      sandbox: (data.sandbox as boolean | undefined) ?? false,
    };
    const runtime = { data: { locale } };
    const body = this.template(join(VIEWS_DIR, `${view}.hbs`))(root, runtime);
    const html = this.template(join(ADMIN_DIR, 'views', 'layout.hbs'))({ ...root, body: new Handlebars.SafeString(body) }, runtime);
    void reply.status(opts.status ?? 200)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('x-robots-tag', 'noindex, nofollow')
      .send(html);
  }

  private template(file: string): Handlebars.TemplateDelegate {
    let tpl = this.compiled.get(file);
    if (!tpl) {
      tpl = this.hb.compile(readFileSync(file, 'utf8'));
      this.compiled.set(file, tpl);
    }
    return tpl;
  }
}
