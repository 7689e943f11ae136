import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { AdminSession } from '../admin/admin-session.js';
import { AdminViews } from '../admin/admin-views.js';
import { fromRoot } from '../common/paths.js';
import { fenToYuanString } from '../common/money.js';
import { coreHelpers } from '../theme/helpers.js';
import type { JsonValue, LocalizedText, PluginSettingsSchema, PluginSettingsValues } from './plugin-contract.js';

export interface SettingField {
  key: string;
  type: string;
  label: LocalizedText;
  help: LocalizedText | null;
  /** The value as the form shows it: yuan for money, pretty JSON for json. */
  text: string;
  checked: boolean;
  options: Array<{ value: string; label: LocalizedText; selected: boolean }>;
  min: number | null;
  max: number | null;
  pattern: string | null;
  locked: boolean;
}

const VIEWS_DIR = fromRoot('core/plugin/views');

/**
 * Admin pages of the plugin host (core/plugin/views) and of plugins (their templates/ files): the body
 * is rendered here (escaping on, core helpers, `csrf` in the data), then placed in core's admin layout
 * with its navigation. The body is wrapped in `<div class="plugin-admin" data-csrf="…">` so page
 * scripts can send the token as x-csrf-token.
 */
@Injectable()
export class PluginAdminViews {
  private readonly hb = Handlebars.create();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();

  constructor(private readonly adminViews: AdminViews, private readonly session: AdminSession) {
    for (const [name, fn] of Object.entries(coreHelpers())) this.hb.registerHelper(name, fn);
  }

  async send(req: FastifyRequest, reply: FastifyReply, template: { view?: 'list' | 'detail'; file?: string }, data: Record<string, unknown>, nav = 'plugins', status = 200): Promise<void> {
    const admin = await this.session.current(req);
    const csrf = this.session.csrfToken(req);
    const tpl = template.file ? this.fileTemplate(template.file) : this.view(template.view ?? 'list');
    const body = `<div class="plugin-admin" data-csrf="${Handlebars.escapeExpression(csrf)}">${tpl({ ...data, csrf })}</div>`;
    this.adminViews.renderHtml(req, reply, body, { admin, csrf, title: String(data.title ?? ''), nav, status });
  }

  private fileTemplate(file: string): Handlebars.TemplateDelegate {
    const key = `file:${file}`;
    let tpl = this.compiled.get(key);
    if (!tpl) {
      tpl = this.hb.compile(readFileSync(file, 'utf8'));
      this.compiled.set(key, tpl);
    }
    return tpl;
  }

  script(): string {
    return readFileSync(`${VIEWS_DIR}/plugins-admin.js`, 'utf8');
  }

  /** The generated settings form: one field per setting of the manifest schema. */
  settingsForm(schema: PluginSettingsSchema, values: PluginSettingsValues, locked: string[]): SettingField[] {
    return Object.entries(schema).map(([key, spec]) => {
      const value: JsonValue | undefined = values[key];
      const text = spec.type === 'money' && typeof value === 'number' ? fenToYuanString(value) : spec.type === 'json' ? JSON.stringify(value ?? null, null, 2) : value === null || value === undefined ? '' : String(value);
      return {
        key, type: spec.type, label: spec.label, help: spec.help ?? null, text, checked: value === true,
        options: (spec.options ?? []).map((o) => ({ value: o.value, label: o.label, selected: o.value === value })),
        min: spec.min ?? null, max: spec.max ?? null, pattern: spec.pattern ?? null, locked: locked.includes(key),
      };
    });
  }

  private view(name: string): Handlebars.TemplateDelegate {
    let tpl = this.compiled.get(name);
    if (!tpl) {
      tpl = this.hb.compile(readFileSync(`${VIEWS_DIR}/${name}.hbs`, 'utf8'));
      this.compiled.set(name, tpl);
    }
    return tpl;
  }
}
