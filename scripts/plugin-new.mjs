// npm run plugin:new <id> — scaffolds plugins/<id>/ with a manifest, a definition, a Nest module with a
// service and routes, a storefront page template, locales, an empty migration list and a passing test.
// Then: npm run build && node scripts/test.mjs <id>   (the test starts the mall with PLUGINS=<id>)
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const id = process.argv[2];
const RESERVED = new Set(['admin', 'api', 'cart', 'categories', 'category', 'checkout', 'member', 'media', 'orders', 'payments', 'products', 'search', 'sign-in', 'themes', 'health']);

if (!id || !/^[a-z][a-z0-9-]{1,39}$/.test(id)) {
  console.error('Usage: npm run plugin:new <id>\n  <id>: 2-40 lowercase letters, digits or hyphens, starting with a letter (e.g. gift-note)');
  process.exit(2);
}
if (RESERVED.has(id)) {
  console.error(`"${id}" is a core route; choose another plugin id`);
  process.exit(2);
}
const dir = join(root, 'plugins', id);
if (existsSync(dir)) {
  console.error(`plugins/${id} already exists`);
  process.exit(1);
}

const Name = id.split('-').map((p) => p[0].toUpperCase() + p.slice(1)).join('');
const title = id.split('-').join(' ');
const version = JSON.parse((await import('node:fs')).readFileSync(join(root, 'package.json'), 'utf8')).version;
const [major, minor] = version.split('.');
const coreRange = major === '0' ? `^0.${minor}.0` : `^${major}.0.0`;

const files = {
  'manifest.json': JSON.stringify({
    id,
    name: { 'zh-CN': title, en: title },
    description: { 'zh-CN': `${title} 插件`, en: `The ${title} plugin` },
    version: '0.1.0',
    core: coreRange,
    dependsOn: [],
    settings: {
      greeting: { type: 'string', default: '你好', min: 1, max: 40, label: { 'zh-CN': '问候语', en: 'Greeting' }, help: { 'zh-CN': '显示在插件页面上', en: 'Shown on the plugin page' } },
    },
  }, null, 2) + '\n',

  'index.ts': `import { definePlugin } from '../../core/plugin/index.js';
import { ${Name}Module } from './${id}.module.js';
import type { ${Name}Settings } from './${id}.service.js';
import { MIGRATIONS } from './migrations/index.js';

export default definePlugin<${Name}Settings>({
  id: '${id}',
  module: ${Name}Module,
  entities: [],
  migrations: MIGRATIONS,
  // adjusters: [], subscribers: [], transactionalHooks: [], orderHooks: [], jobs: [],
  // slots: [{ slot: 'product.after-description', template: 'my-partial.hbs', loader: MyLoader }],
  // helpers: { shout: (s: unknown) => String(s).toUpperCase() },   → {{${id}:shout x}}
  validateSettings(settings) {
    return settings.greeting.trim() ? [] : ['greeting must not be blank'];
  },
});
`,

  [`${id}.service.ts`]: `import { Injectable } from '@nestjs/common';
import { InjectPluginSettings, type PluginSettings } from '../../core/plugin/index.js';

/** Mirrors the "settings" of manifest.json. */
export interface ${Name}Settings {
  greeting: string;
}

@Injectable()
export class ${Name}Service {
  constructor(@InjectPluginSettings('${id}') private readonly settings: PluginSettings<${Name}Settings>) {}

  async hello(): Promise<{ message: string }> {
    const { greeting } = await this.settings.get();
    return { message: greeting };
  }
}
`,

  [`${id}.module.ts`]: `import { Controller, Get, Module, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PluginPages } from '../../core/plugin/index.js';
import { ${Name}Service } from './${id}.service.js';

/** REST under /api/v1/${id}. */
@Controller('api/v1/${id}')
export class ${Name}Controller {
  constructor(private readonly service: ${Name}Service) {}

  @Get('hello')
  hello() {
    return this.service.hello();
  }
}

/** A storefront page, rendered by the active theme (which may override templates/plugins/${id}/page.hbs). */
@Controller('${id}')
export class ${Name}PageController {
  constructor(private readonly service: ${Name}Service, private readonly pages: PluginPages) {}

  @Get()
  async page(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.pages.render(req, reply, '${id}', 'page', { title: '${title}', ...(await this.service.hello()) });
  }
}

@Module({ controllers: [${Name}Controller, ${Name}PageController], providers: [${Name}Service], exports: [${Name}Service] })
export class ${Name}Module {}
`,

  'templates/page.hbs': `<main class="page" data-page="${id}">
  <section class="card">
    <h1 class="${id}-title">{{${id}:t "title"}}</h1>
    <p class="${id}-message">{{message}}</p>
  </section>
</main>
`,

  'locales/zh-CN.json': JSON.stringify({ title: title }, null, 2) + '\n',
  'locales/en.json': JSON.stringify({ title: title }, null, 2) + '\n',

  'migrations/index.ts': `import type { MigrationClass } from '../../../core/database/migration-runner.js';

/** ${id} migrations, oldest first. \`npm run migration:generate -- <Name> --plugin ${id}\` appends here. */
export const MIGRATIONS: MigrationClass[] = [];
`,

  [`tests/${id}.test.ts`]: `import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../../tests/support/test-app.js';

describe('${id} plugin', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { PLUGINS: '${id}', MALL_CONFIG: '/nonexistent/mall.config.json' } });
  });
  after(() => t.close());

  it('answers on its API with its default settings', async () => {
    const res = await t.http().get('/api/v1/${id}/hello').expect(200);
    assert.deepEqual(res.body, { message: '你好' });
  });

  it('renders its storefront page through the theme', async () => {
    const res = await t.http().get('/${id}').expect(200);
    assert.match(res.text, /class="${id}-message">你好</);
  });
});
`,
};

for (const [rel, content] of Object.entries(files)) {
  const file = join(dir, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}
console.log(`Created plugins/${id}/:\n  ${Object.keys(files).join('\n  ')}\n
Next:
  npm run build && node scripts/test.mjs ${id}      run its test
  PLUGINS=${id} npm start                         try it (or enable it in the admin under 插件 / Plugins)
  npm run migration:generate -- Init --plugin ${id}  after adding entities
Read docs/plugins.md for every extension point.`);
