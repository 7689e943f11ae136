import 'reflect-metadata';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig, type AppConfig, type DatabaseConfig } from '../../core/config/app-config.js';
import { createApp } from '../../core/app/create-app.js';
import { createTestDatabase } from './test-db.js';
import { CatalogService } from '../../core/catalog/catalog.service.js';
import type { ProductInput } from '../../core/catalog/dto/product.dto.js';
import { ShippingTemplate } from '../../core/shipping/entities/shipping-template.entity.js';
import { EventBus } from '../../core/events/event-bus.service.js';

export interface TestApp {
  app: NestFastifyApplication;
  ds: DataSource;
  config: AppConfig;
  db: DatabaseConfig;
  /** supertest against the app's server. */
  http(): ReturnType<typeof request>;
  /** Signs in a sandbox member; returns an agent that carries the member cookie. */
  signIn(nickname: string): Promise<MemberAgent>;
  get<T>(type: new (...args: never[]) => T): T;
  /** Waits for after-commit event deliveries started so far. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface MemberAgent {
  memberId: number;
  agent: ReturnType<typeof request.agent>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Reuse an existing database (a second app instance on the same database). */
  db?: DatabaseConfig;
}

/** A whole mall on a fresh database (SQLite or MariaDB by TEST_DB), migrated, jobs off. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const created = options.db ? null : await createTestDatabase();
  const db = options.db ?? created!.db;
  const config = loadConfig({
    SESSION_SECRET: 'test-secret-test-secret-test-secret',
    JOBS_ENABLED: 'false',
    PUBLIC_URL: 'http://mall.test',
    CATALOG_CACHE_MS: '0',
    // a stray ./mall.config.json in the working copy must not change what tests run
    MALL_CONFIG: '/nonexistent/mall.config.json',
    ...options.env,
  });
  config.database = db;
  process.env.CATALOG_CACHE_MS = options.env?.CATALOG_CACHE_MS ?? '0';
  const { app, dataSource } = await createApp({ config, logger: process.env.TEST_LOG ? ['error', 'warn', 'log'] : false });
  const server = app.getHttpServer();
  const t: TestApp = {
    app, ds: dataSource, config, db,
    http: () => request(server),
    async signIn(nickname: string) {
      const agent = request.agent(server);
      const res = await agent.post('/api/v1/sandbox/sign-in').send({ nickname });
      if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { memberId: res.body.id as number, agent };
    },
    get: (type) => app.get(type as never),
    settle: () => app.get(EventBus).settle(),
    async close() {
      await app.close();
      if (created) await created.drop();
    },
  };
  return t;
}

let seq = 0;

/** A listed product with the given variants (defaults: one variant, ¥99.00, 10 in stock). */
export async function createProduct(t: TestApp, overrides: Partial<ProductInput> = {}): Promise<{ id: number; slug: string; variantIds: number[] }> {
  const catalog = t.get(CatalogService);
  const product = await catalog.createProduct({
    title: `测试商品 ${++seq}`,
    images: ['/media/test.svg'],
    specNames: [],
    variants: [{ specValues: [], price: 9900, stock: 10 }],
    isListed: true,
    ...overrides,
  });
  const detail = await catalog.detail(product.id, { includeUnlisted: true });
  return { id: product.id, slug: product.slug, variantIds: detail.variants.map((v) => v.id) };
}

/** A default shipping template: ¥8 first item, ¥2 each further, free from ¥99. */
export async function createShipping(t: TestApp, overrides: Partial<ShippingTemplate> = {}): Promise<void> {
  const repo = t.ds.getRepository(ShippingTemplate);
  await repo.save(repo.create({ name: '默认运费', firstItemFee: 800, additionalItemFee: 200, freeFrom: 9900, isDefault: true, ...overrides }));
}

export const ADDRESS = { recipientName: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号 2 幢 301' };

export async function addAddress(m: MemberAgent): Promise<number> {
  const res = await m.agent.post('/api/v1/addresses').send(ADDRESS);
  if (res.status !== 201) throw new Error(`address failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as number;
}

/** Places and pays an order through the API; returns the order number. */
export async function buy(m: MemberAgent, addressId: number, items: Array<{ variantId: number; quantity: number }>): Promise<string> {
  const placed = await m.agent.post('/api/v1/orders').send({ addressId, items });
  if (placed.status !== 201) throw new Error(`order failed: ${placed.status} ${JSON.stringify(placed.body)}`);
  const pay = await m.agent.post(`/api/v1/orders/${placed.body.orderNo}/payments`).send({});
  if (pay.status !== 200) throw new Error(`pay failed: ${pay.status} ${JSON.stringify(pay.body)}`);
  const confirm = await m.agent.post(`/payments/sandbox/${pay.body.paymentNo}/confirm`).send({});
  if (confirm.status !== 200) throw new Error(`confirm failed: ${confirm.status} ${JSON.stringify(confirm.body)}`);
  return placed.body.orderNo as string;
}
