import { Injectable, Logger, type OnModuleInit, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { HelperDelegate, HelperOptions } from 'handlebars';
import { existsSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EventBus } from '../events/event-bus.service.js';
import { JobScheduler } from '../jobs/job-scheduler.service.js';
import { OrderProcess } from '../order/order-process.service.js';
import { PricingPipeline } from '../pricing/pricing-pipeline.service.js';
import { SlotRegistry, type SlotContext } from '../theme/slot-registry.js';
import { ThemeService } from '../theme/theme.service.js';
import { AdminViews } from '../admin/admin-views.js';
import type { SlotDataLoader } from './plugin-contract.js';
import { PluginAdminViews } from './plugin-admin.views.js';
import { PluginLoadError, type LoadedPlugin } from './plugin-loader.js';
import { PluginRegistry } from './plugin-registry.js';
import { flattenLocale } from '../i18n/flatten-locale.js';

/**
 * Registers what each running plugin declares with the core registries, in dependency order, when
 * the application initialises: pricing adjusters, event subscribers and hooks, order hooks, jobs,
 * slots and helpers. A declaration that cannot be honoured stops start-up with the plugin named.
 */
@Injectable()
export class PluginHost implements OnModuleInit {
  private readonly logger = new Logger('Plugins');

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly registry: PluginRegistry,
    private readonly pricing: PricingPipeline,
    private readonly events: EventBus,
    private readonly jobs: JobScheduler,
    private readonly slots: SlotRegistry,
    private readonly theme: ThemeService,
    private readonly orderProcess: OrderProcess,
    private readonly adminViews: AdminViews,
  ) {}

  onModuleInit(): void {
    for (const plugin of this.registry.active()) this.register(plugin);
    // the admin menu: each plugin's entries, then the plugin list
    const keyed = new Set<string>();
    for (const entry of this.registry.adminMenu()) {
      const key = keyed.has(entry.pluginId) ? `plugin:${entry.pluginId}:${entry.path}` : `plugin:${entry.pluginId}`;
      keyed.add(entry.pluginId);
      this.adminViews.addNavItem({ key, href: entry.path, label: entry.label });
    }
    this.adminViews.addNavItem({ key: 'plugins', href: '/admin/plugins', label: { 'zh-CN': '插件', en: 'Plugins' } });
    if (this.registry.active().length) this.logger.log(`Plugins running: ${this.registry.active().map((p) => `${p.id}@${p.manifest.version}`).join(', ')}`);
  }

  private register(p: LoadedPlugin): void {
    const d = p.definition;
    const fail = (problem: string): never => {
      throw new PluginLoadError([`Plugin "${p.id}": ${problem}`]);
    };
    const prefixed = (kind: string, name: string) => {
      if (!name.startsWith(`${p.id}:`)) fail(`${kind} "${name}" must be named "${p.id}:<name>"`);
    };
    for (const cls of d.adjusters ?? []) {
      const adjuster = this.resolve(p, 'adjusters', cls);
      prefixed('pricing adjuster', adjuster.id);
      this.pricing.register(adjuster);
    }
    for (const cls of d.subscribers ?? []) {
      const subscriber = this.resolve(p, 'subscribers', cls);
      prefixed('event subscriber', subscriber.name);
      this.events.subscribe(subscriber);
    }
    for (const cls of d.transactionalHooks ?? []) {
      const hook = this.resolve(p, 'transactionalHooks', cls);
      prefixed('transactional event hook', hook.name);
      this.events.addTransactionalHook(hook);
    }
    for (const cls of d.orderHooks ?? []) {
      const hook = this.resolve(p, 'orderHooks', cls);
      prefixed('order transition hook', hook.name);
      this.orderProcess.addHook(hook);
    }
    for (const cls of d.jobs ?? []) {
      const job = this.resolve(p, 'jobs', cls);
      prefixed('job', job.name);
      this.jobs.register(job);
    }
    for (const s of d.slots ?? []) {
      const file = this.templateFile(p, s.template);
      if (!file) fail(`slot "${s.slot}" names template "${s.template}", which is not in ${join(p.dir, 'templates')}`);
      const loader: SlotDataLoader | null = s.loader ? this.resolve(p, 'slots', s.loader) : null;
      this.slots.add({
        pluginId: p.id, slot: s.slot, order: s.order, template: readFileSync(file!, 'utf8'),
        load: loader ? (ctx: SlotContext) => this.safeLoad(p.id, s.slot, loader, ctx) : undefined,
      });
    }
    for (const [name, fn] of Object.entries(d.helpers ?? {})) {
      if (!/^[a-zA-Z][a-zA-Z0-9_]*$/.test(name)) fail(`helper name "${name}" must be letters, digits or _`);
      this.theme.registerHelper(p.id, name, fn as unknown as HelperDelegate);
    }
    const translate = this.translator(p);
    if (translate && !d.helpers?.t) this.theme.registerHelper(p.id, 't', translate);
  }

  /** A provider of the plugin's module, resolved by class from the whole application. */
  private resolve<T>(p: LoadedPlugin, list: string, cls: Type<T>): T {
    try {
      return this.moduleRef.get(cls, { strict: false });
    } catch {
      throw new PluginLoadError([`Plugin "${p.id}": ${cls.name} (listed in ${list}) is not a provider of the plugin's module; add it to the module's providers`]);
    }
  }

  private async safeLoad(pluginId: string, slot: string, loader: SlotDataLoader, ctx: SlotContext): Promise<Record<string, unknown> | null> {
    try {
      return await loader.load(ctx);
    } catch (err) {
      // a broken contribution leaves its slot empty rather than breaking the page
      this.logger.error(`Plugin "${pluginId}" slot ${slot} on page ${ctx.page}: ${(err as Error).message}`);
      return null;
    }
  }

  /** A file of the plugin's templates/ folder ("x.hbs" or "x"), or null. */
  templateFile(p: Pick<LoadedPlugin, 'dir'>, name: string): string | null {
    const rel = normalize(name.endsWith('.hbs') ? name : `${name}.hbs`);
    if (rel.startsWith('..') || rel.startsWith('/')) return null;
    const file = join(p.dir, 'templates', rel);
    return existsSync(file) ? file : null;
  }

  /** `{{<id>:t "key" name=value}}` from the plugin's locales/<locale>.json, when the plugin has them. */
  private translator(p: LoadedPlugin): HelperDelegate | null {
    const tables: Record<string, Record<string, string>> = {};
    for (const locale of ['zh-CN', 'en']) {
      const file = join(p.dir, 'locales', `${locale}.json`);
      if (existsSync(file)) tables[locale] = flattenLocale(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>);
    }
    if (!Object.keys(tables).length) return null;
    return (key: unknown, ...rest: unknown[]) => {
      const options = rest[rest.length - 1] as HelperOptions;
      const locale = String((options.data as { locale?: string } | undefined)?.locale ?? 'zh-CN');
      const text = tables[locale]?.[String(key)] ?? tables['zh-CN']?.[String(key)] ?? String(key);
      const vars = options.hash as Record<string, unknown>;
      return text.replace(/\{(\w+)\}/g, (m, k: string) => (vars[k] === undefined ? m : String(vars[k])));
    };
  }
}


/**
 * Renders a plugin's storefront page through the active theme: the theme's
 * `templates/plugins/<id>/<name>.hbs` when it has one (themes may restyle plugin pages), else the
 * plugin's own `templates/<name>.hbs` — always inside the theme's layout, with slots and helpers.
 */
/**
 * Renders a plugin's admin page: its `templates/<name>.hbs` inside the back office layout, with the
 * admin menu and the session's CSRF token (`csrf`, send it as x-csrf-token). Guard the route with AdminOnly().
 */
@Injectable()
export class PluginAdminPages {
  constructor(private readonly registry: PluginRegistry, private readonly host: PluginHost, private readonly views: PluginAdminViews) {}

  /** `nav` highlights the admin menu entry: "plugin:<id>" is the key of the plugin's first adminMenu entry. */
  async render(req: FastifyRequest, reply: FastifyReply, pluginId: string, name: string, data: Record<string, unknown>, status = 200): Promise<void> {
    const plugin = this.registry.loaded(pluginId);
    const file = this.host.templateFile(plugin, name);
    if (!file) throw new Error(`Plugin "${pluginId}" has no template ${name} in ${join(plugin.dir, 'templates')}`);
    await this.views.send(req, reply, { file }, { title: pluginId, ...data }, `plugin:${pluginId}`, status);
  }
}

@Injectable()
export class PluginPages {
  constructor(private readonly theme: ThemeService, private readonly registry: PluginRegistry, private readonly host: PluginHost) {}

  async render(req: FastifyRequest, reply: FastifyReply, pluginId: string, name: string, data: Record<string, unknown>, status = 200): Promise<void> {
    const plugin = this.registry.loaded(pluginId);
    const fallbackFile = this.host.templateFile(plugin, name) ?? undefined;
    await this.theme.renderPage(req, reply, [`plugins/${pluginId}/${name.replace(/\.hbs$/, '')}`], data, status, { fallbackFile });
  }
}
