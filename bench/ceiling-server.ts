/**
 * The storefront "ceiling": a bare node:http server that renders the product page with the app's
 * own compiled theme (ThemeService.build → ThemeEngine) from an in-memory product object, on every
 * request — no framework, no database, no session lookup. What the app spends on top of this is
 * the cost of Nest, Fastify, the database and the cache.
 *
 * Input (file named by CEILING_INPUT): { theme, settings, product, templates, sandbox }.
 */
import 'reflect-metadata';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { ThemeService } from '../core/theme/theme.service.js';
import { SlotRegistry } from '../core/theme/slot-registry.js';
import type { AppConfig } from '../core/config/app-config.js';

export interface CeilingInput {
  theme: string;
  settings: Record<string, unknown>;
  product: Record<string, unknown>;
  templates: string[];
  sandbox: boolean;
}

const input = JSON.parse(readFileSync(process.env.CEILING_INPUT ?? '', 'utf8')) as CeilingInput;
// Only build() is used: it needs the themes folder and the (empty) slot registry, not the database.
const themes = new ThemeService({ themeName: input.theme } as AppConfig, null as never, new SlotRegistry(), null as never);
const engine = themes.build(input.theme, input.settings);
const slots = new Map();

const server = createServer((req, res) => {
  try {
    const html = engine.render({
      templates: input.templates,
      locale: 'zh-CN',
      slots,
      data: { product: input.product, member: null, path: req.url, sandbox: input.sandbox },
    });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  } catch (err) {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(String((err as Error).stack));
  }
});
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT ?? 3100), '127.0.0.1', () => {
  process.send?.('ready');
  console.log(`ceiling server on ${process.env.PORT ?? 3100}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
