import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { NotFoundError } from '../common/errors.js';
import { Setting } from '../settings/entities/setting.entity.js';
import { SlotRegistry } from './slot-registry.js';
import { loadChain, readManifest } from './theme-chain.js';
import { checkTheme, pluginsFromHelpers, type ThemeCheckReport } from './theme-checker.js';
import type { ThemeSettingSpec } from './theme-manifest.js';
import { ThemeService } from './theme.service.js';

const THEME_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/i;
const COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;
const IMAGE = /^(?:https?:\/\/|\/(?!\/))[^\s"'<>\\]*$/;
export const TEXT_MAX = 2000;
export const IMAGE_MAX = 1000;

export interface ThemeSummary {
  name: string;
  version: string;
  parent: string | null;
  description: string;
  active: boolean;
  /** Admin URL of themes/<name>/screenshot.png, when the theme has one. */
  screenshot: string | null;
  check: { ok: boolean; errors: number; warnings: number };
}

export interface SettingProblem {
  key: string;
  reason: 'color' | 'text' | 'image' | 'select' | 'boolean' | 'unknown';
}

/** What the themes admin page and API need: the installed themes, checks, and the active theme's settings. */
@Injectable()
export class ThemeAdminService {
  constructor(
    private readonly themes: ThemeService,
    private readonly slots: SlotRegistry,
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) readonly config: AppConfig,
  ) {}

  /** The checker, with what is running in this installation (plugin helpers, slots). */
  check(name: string): ThemeCheckReport {
    return checkTheme({
      themesDir: this.themes.themesDir, name,
      plugins: pluginsFromHelpers(this.themes.helperNames()),
      extraSlots: [...new Set(this.slots.all().map((c) => c.slot))],
    });
  }

  installedNames(): string[] {
    const dir = this.themes.themesDir;
    if (!existsSync(dir)) return [];
    return readdirSync(dir).filter((n) => THEME_NAME.test(n) && statSync(join(dir, n)).isDirectory() && existsSync(join(dir, n, 'theme.json'))).sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));
  }

  isInstalled(name: string): boolean {
    return THEME_NAME.test(name) && this.installedNames().includes(name);
  }

  screenshotFile(name: string): string | null {
    if (!this.isInstalled(name)) return null;
    const file = join(this.themes.themesDir, name, 'screenshot.png');
    return existsSync(file) ? file : null;
  }

  async list(): Promise<{ active: string; themes: ThemeSummary[] }> {
    const active = await this.themes.activeName();
    const themes = this.installedNames().map((name): ThemeSummary => {
      let version = '';
      let parent: string | null = null;
      let description = '';
      try {
        const m = readManifest(join(this.themes.themesDir, name));
        version = m.version;
        parent = typeof m.parent === 'string' ? m.parent : null;
        description = typeof m.description === 'string' ? m.description : '';
      } catch {
        // an unreadable manifest shows up in the check
      }
      const report = this.check(name);
      return {
        name, version, parent, description, active: name === active,
        screenshot: this.screenshotFile(name) ? `/admin/themes/${name}/screenshot.png` : null,
        check: { ok: report.ok, errors: report.errors, warnings: report.warnings },
      };
    });
    return { active, themes };
  }

  /** Setting specs of a theme, parents' first and a child's spec replacing its parent's. */
  specs(name: string): Record<string, ThemeSettingSpec> {
    const out: Record<string, ThemeSettingSpec> = {};
    for (const layer of [...loadChain(this.themes.themesDir, name)].reverse()) Object.assign(out, layer.manifest.settings ?? {});
    return out;
  }

  /** Values the merchant saved for the theme (only those that differ from the defaults). */
  async saved(name: string): Promise<Record<string, unknown>> {
    const row = await this.ds.getRepository(Setting).findOneBy({ key: `theme.settings.${name}` });
    if (!row) return {};
    try {
      const parsed = JSON.parse(row.value) as unknown;
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }

  /** Defaults overridden by saved values: what templates see as theme.settings. */
  async values(name: string): Promise<Record<string, unknown>> {
    const specs = this.specs(name);
    const saved = await this.saved(name);
    const out: Record<string, unknown> = {};
    for (const [k, spec] of Object.entries(specs)) out[k] = k in saved ? saved[k] : spec.default;
    return out;
  }

  /**
   * Checks submitted values against the specs. `form` input comes from the admin form (every field as
   * a string, a checkbox absent when unticked); JSON input must use the right types and may be partial.
   */
  validate(specs: Record<string, ThemeSettingSpec>, input: Record<string, unknown>, mode: 'form' | 'json', current: Record<string, unknown>): { values: Record<string, unknown>; problems: SettingProblem[] } {
    const values: Record<string, unknown> = { ...current };
    const problems: SettingProblem[] = [];
    if (mode === 'json') {
      for (const key of Object.keys(input)) if (!specs[key]) problems.push({ key, reason: 'unknown' });
    }
    for (const [key, spec] of Object.entries(specs)) {
      const present = Object.prototype.hasOwnProperty.call(input, key);
      let v = input[key];
      if (mode === 'json' && !present) continue;
      if (spec.type === 'boolean') {
        if (mode === 'form') values[key] = v === 'true' || v === 'on' || v === '1';
        else if (typeof v === 'boolean') values[key] = v;
        else problems.push({ key, reason: 'boolean' });
        continue;
      }
      if (mode === 'form' && !present) continue;
      if (typeof v !== 'string') {
        problems.push({ key, reason: spec.type });
        continue;
      }
      v = v.trim();
      const s = v as string;
      switch (spec.type) {
        case 'color':
          if (COLOR.test(s)) values[key] = s.toLowerCase();
          else problems.push({ key, reason: 'color' });
          break;
        case 'text':
          if (s.length > TEXT_MAX) problems.push({ key, reason: 'text' });
          else values[key] = s === '' ? spec.default : s;
          break;
        case 'image':
          if (s === '' || (s.length <= IMAGE_MAX && IMAGE.test(s))) values[key] = s;
          else problems.push({ key, reason: 'image' });
          break;
        case 'select':
          if ((spec.options ?? []).includes(s)) values[key] = s;
          else problems.push({ key, reason: 'select' });
          break;
      }
    }
    return { values, problems };
  }

  /**
   * Saves the theme's settings (only values that differ from the defaults) and makes it the active
   * theme, through ThemeService.setActive: the theme checker runs first, and the next request renders
   * with the new settings on this instance (others within a few seconds).
   */
  async save(name: string, values: Record<string, unknown>): Promise<void> {
    const specs = this.specs(name);
    const overrides: Record<string, unknown> = {};
    for (const [k, spec] of Object.entries(specs)) if (k in values && values[k] !== spec.default) overrides[k] = values[k];
    await this.themes.setActive(name, overrides);
  }

  async activate(name: string): Promise<void> {
    if (!this.isInstalled(name)) throw new NotFoundError('theme', name, 'name');
    await this.themes.setActive(name);
  }
}
