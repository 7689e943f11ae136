import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream } from 'node:fs';
import { BadInputError, NotFoundError } from '../common/errors.js';
import { AdminGuard, type AdminRequest, AdminSession } from '../admin/admin-session.js';
import { AdminHtmlFilter } from '../admin/admin-html.filter.js';
import { ThemeAdminService, TEXT_MAX, type SettingProblem } from './theme-admin.service.js';
import { ThemeAdminViews } from './theme-admin.views.js';
import { ThemeInvalidError, type ThemeCheckReport } from './theme-checker.js';
import type { ThemeSettingSpec } from './theme-manifest.js';

type FormBody = Record<string, unknown>;

interface PageState {
  /** A check report to show (after a refused activation, or ?report=<name>). */
  report?: ThemeCheckReport | null;
  refused?: boolean;
  /** Submitted settings values and their problems (a form that did not validate). */
  values?: Record<string, unknown>;
  problems?: SettingProblem[];
}

function reportView(report: ThemeCheckReport) {
  return {
    name: report.theme, ok: report.ok, errorCount: report.errors, warningCount: report.warnings,
    errors: report.findings.filter((f) => f.level === 'error'),
    warnings: report.findings.filter((f) => f.level === 'warning'),
  };
}

/** The back office page /admin/themes: installed themes, activation (checked first), the active theme's settings form. */
@ApiExcludeController()
@Controller('admin/themes')
@UseGuards(AdminGuard)
@UseFilters(AdminHtmlFilter)
export class ThemeAdminPagesController {
  constructor(private readonly service: ThemeAdminService, private readonly views: ThemeAdminViews, private readonly session: AdminSession) {}

  @Get()
  async page(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query('report') report?: string) {
    const shown = typeof report === 'string' && this.service.isInstalled(report) ? this.service.check(report) : null;
    await this.render(req, reply, { report: shown });
  }

  @Post('activate')
  async activate(@Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const name = typeof body?.name === 'string' ? body.name : '';
    try {
      await this.service.activate(name);
    } catch (err) {
      if (!(err instanceof ThemeInvalidError)) throw err;
      return this.render(req, reply, { report: err.report, refused: true }, 409);
    }
    void reply.redirect('/admin/themes?ok=activated', 303);
  }

  @Post('settings')
  async saveSettings(@Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const { active } = await this.service.list();
    const specs = this.service.specs(active);
    const { values, problems } = this.service.validate(specs, body ?? {}, 'form', await this.service.values(active));
    if (problems.length) return this.render(req, reply, { values, problems }, 400);
    try {
      await this.service.save(active, values);
    } catch (err) {
      if (!(err instanceof ThemeInvalidError)) throw err;
      return this.render(req, reply, { report: err.report, refused: true, values }, 409);
    }
    void reply.redirect('/admin/themes?ok=saved', 303);
  }

  @Get(':name/screenshot.png')
  screenshot(@Param('name') name: string, @Res() reply: FastifyReply) {
    const file = this.service.screenshotFile(name);
    if (!file) throw new NotFoundError('screenshot', name);
    void reply.header('content-type', 'image/png').header('cache-control', 'private, max-age=300').send(createReadStream(file));
  }

  private async render(req: FastifyRequest, reply: FastifyReply, state: PageState, status = 200): Promise<void> {
    const locale = this.views.locale(req, reply);
    const t = (key: string, vars?: Record<string, unknown>) => this.views.translate(locale, key, vars);
    const { active, themes } = await this.service.list();
    const specs = this.service.specs(active);
    const values = state.values ?? (await this.service.values(active));
    const problems = new Map((state.problems ?? []).map((p) => [p.key, p.reason]));
    const fields = Object.entries(specs).map(([key, spec]) => settingField(key, spec, values[key], problems.get(key), t));
    const ok = (req.query as Record<string, unknown> | undefined)?.ok;
    const flash = ok === 'activated' ? 'themes.activated' : ok === 'saved' ? 'themes.saved' : '';
    this.views.render(req, reply, 'themes', {
      themes, active, fields,
      report: state.report ? reportView(state.report) : null,
      refused: !!state.refused,
      problems: [...problems].map(([key, reason]) => ({ key, label: specs[key]?.label ?? key, message: problemText(reason, key, t) })),
      sandbox: this.service.config.sandboxEnabled,
    }, { admin: (req as AdminRequest).adminUser ?? null, csrf: this.session.csrfToken(req), status, flash });
  }
}

function problemText(reason: SettingProblem['reason'], key: string, t: (k: string, v?: Record<string, unknown>) => string): string {
  return t(`themes.invalid.${reason}`, { max: TEXT_MAX, name: key });
}

function settingField(key: string, spec: ThemeSettingSpec, value: unknown, problem: SettingProblem['reason'] | undefined, t: (k: string, v?: Record<string, unknown>) => string) {
  const text = value === undefined || value === null ? '' : String(value);
  const shownDefault = spec.type === 'boolean' ? (spec.default ? '✓' : '✗') : String(spec.default ?? '');
  return {
    key,
    type: spec.type,
    label: spec.label ?? key,
    value: text,
    checked: value === true,
    isColor: spec.type === 'color',
    isText: spec.type === 'text',
    isImage: spec.type === 'image',
    isBoolean: spec.type === 'boolean',
    isSelect: spec.type === 'select',
    long: spec.type === 'text' && (text.length > 60 || String(spec.default).length > 60),
    options: (spec.options ?? []).map((o) => ({ value: o, selected: o === text })),
    defaultText: shownDefault ? t('themes.default', { value: shownDefault }) : '',
    error: problem ? problemText(problem, key, t) : '',
  };
}

const CSRF_HEADER = { name: 'x-csrf-token', required: false, description: 'Required on PUT: the csrfToken returned by POST /api/v1/admin/session' };

/** JSON for scripts: the installed themes with their check results, and the active theme's settings. */
@ApiTags('admin')
@Controller('api/v1/admin/themes')
@UseGuards(AdminGuard)
export class ThemeAdminApiController {
  constructor(private readonly service: ThemeAdminService) {}

  @Get()
  @ApiOperation({ summary: 'Installed themes (name, version, parent, check summary), the active theme, and its setting specs and values' })
  async list() {
    return this.state();
  }

  @Put()
  @HttpCode(200)
  @ApiHeader(CSRF_HEADER)
  @ApiOperation({ summary: 'Activate a theme and/or save its settings: { "active"?: "<theme>", "settings"?: { "<name>": value } }. Settings apply to the theme being activated, or to the active one. A theme with checker errors is refused: 409 { code: "theme_invalid", report }.' })
  async update(@Body() body: FormBody, @Res({ passthrough: true }) reply: FastifyReply) {
    const input = body && typeof body === 'object' && !Array.isArray(body) ? body : {};
    for (const key of Object.keys(input)) if (key !== 'active' && key !== 'settings') throw new BadInputError(key, `unknown field "${key}": send "active" and/or "settings"`);
    if (input.active !== undefined && (typeof input.active !== 'string' || !input.active)) throw new BadInputError('active', '"active" must be a theme folder name');
    if (input.settings !== undefined && (!input.settings || typeof input.settings !== 'object' || Array.isArray(input.settings))) throw new BadInputError('settings', '"settings" must be an object of setting values');
    if (input.active === undefined && input.settings === undefined) throw new BadInputError('active', 'send "active" and/or "settings"');
    const target = (input.active as string | undefined) ?? (await this.service.list()).active;
    if (!this.service.isInstalled(target)) throw new NotFoundError('theme', target, 'active');
    try {
      if (input.settings !== undefined) {
        const report = this.service.check(target);
        if (!report.ok) throw new ThemeInvalidError(report);
        const specs = this.service.specs(target);
        const { values, problems } = this.service.validate(specs, input.settings as Record<string, unknown>, 'json', await this.service.values(target));
        if (problems.length) {
          const p = problems[0];
          throw new BadInputError(`settings.${p.key}`, problemText(p.reason, p.key, (k, v) => englishProblem(k, v)), 'invalid_setting');
        }
        await this.service.save(target, values);
      } else {
        await this.service.activate(target);
      }
    } catch (err) {
      if (!(err instanceof ThemeInvalidError)) throw err;
      void reply.status(409);
      return { statusCode: 409, code: err.code, message: err.message, report: err.report };
    }
    return this.state();
  }

  private async state() {
    const { active, themes } = await this.service.list();
    return { active, themes, settings: { theme: active, specs: this.service.specs(active), values: await this.service.values(active) } };
  }
}

function englishProblem(key: string, vars?: Record<string, unknown>): string {
  const texts: Record<string, string> = {
    'themes.invalid.color': 'must be a colour like "#3f5e4b"',
    'themes.invalid.text': `must be text of at most ${String(vars?.max)} characters`,
    'themes.invalid.image': 'must be an image URL starting with https:// or /, or ""',
    'themes.invalid.select': 'must be one of the options',
    'themes.invalid.boolean': 'must be true or false',
    'themes.invalid.unknown': `is not a setting of this theme`,
  };
  return `setting "${String(vars?.name)}" ${texts[key] ?? 'is invalid'}`;
}
