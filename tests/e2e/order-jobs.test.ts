import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createProduct, createShipping, addAddress, buy, type TestApp, type MemberAgent } from '../support/test-app.js';
import { ProductVariant } from '../../core/catalog/entities/product-variant.entity.js';
import { Order } from '../../core/order/entities/order.entity.js';
import { OrderJobs } from '../../core/order/order-jobs.js';
import { OrderService } from '../../core/order/order.service.js';
import { JobScheduler } from '../../core/jobs/job-scheduler.service.js';
import { OrderHistory } from '../../core/order/entities/order-history.entity.js';

describe('order timeout jobs', () => {
  let t: TestApp;
  let second: TestApp;
  let m: MemberAgent;
  let addressId: number;

  before(async () => {
    t = await startTestApp({ env: { ORDER_PAYMENT_TIMEOUT_MINUTES: '15', ORDER_AUTO_COMPLETE_DAYS: '7' } });
    second = await startTestApp({ db: t.db, env: { ORDER_PAYMENT_TIMEOUT_MINUTES: '15', ORDER_AUTO_COMPLETE_DAYS: '7' } });
    await createShipping(t);
    m = await t.signIn('定时任务');
    addressId = await addAddress(m);
  });
  after(async () => {
    await second.close();
    await t.close();
  });

  it('closes unpaid orders after the configured minutes and returns their stock; paid ones stay', async () => {
    const { variantIds } = await createProduct(t, { variants: [{ specValues: [], price: 1200, stock: 10 }] });
    const unpaid = await m.agent.post('/api/v1/orders').send({ addressId, items: [{ variantId: variantIds[0], quantity: 4 }] }).expect(201);
    const paidNo = await buy(m, addressId, [{ variantId: variantIds[0], quantity: 1 }]);
    assert.equal((await t.ds.getRepository(ProductVariant).findOneByOrFail({ id: variantIds[0] })).stock, 5);

    assert.equal(await t.get(OrderJobs).closeUnpaid(new Date(Date.now() + 14 * 60_000)), 0, 'not yet due at 14 minutes');
    // both instances run the job at once: each order is closed exactly once
    const [a, b] = await Promise.all([t.get(OrderJobs).closeUnpaid(new Date(Date.now() + 16 * 60_000)), second.get(OrderJobs).closeUnpaid(new Date(Date.now() + 16 * 60_000))]);
    assert.equal(a + b, 1);
    const closed = await t.ds.getRepository(Order).findOneByOrFail({ orderNo: unpaid.body.orderNo });
    assert.equal(closed.status, 'closed');
    assert.equal(closed.closeReason, 'payment_timeout');
    assert.equal((await t.ds.getRepository(Order).findOneByOrFail({ orderNo: paidNo })).status, 'paid');
    assert.equal((await t.ds.getRepository(ProductVariant).findOneByOrFail({ id: variantIds[0] })).stock, 9, 'the 4 reserved units came back once');
    assert.equal(await t.ds.getRepository(OrderHistory).countBy({ orderId: closed.id, toStatus: 'closed' }), 1);
  });

  it('a payment whose notification was lost is found by the active query instead of being closed', async () => {
    const { variantIds } = await createProduct(t, { variants: [{ specValues: [], price: 1200, stock: 10 }] });
    const placed = await m.agent.post('/api/v1/orders').send({ addressId, items: [{ variantId: variantIds[0], quantity: 1 }] }).expect(201);
    const pay = await m.agent.post(`/api/v1/orders/${placed.body.orderNo}/payments`).send({}).expect(200);
    // the shopper paid at the provider, but the notification never arrived
    const sandbox = (await import('../../core/payment/payment.service.js')).PaymentService;
    const provider = t.get(sandbox).provider('sandbox') as import('../../core/payment/providers/sandbox.provider.js').SandboxPaymentProvider;
    await provider.parseNotification(provider.signedNotification(pay.body.paymentNo, placed.body.payableTotal));
    await t.get(OrderJobs).closeUnpaid(new Date(Date.now() + 16 * 60_000));
    assert.equal((await t.ds.getRepository(Order).findOneByOrFail({ orderNo: placed.body.orderNo })).status, 'paid');
  });

  it('completes shipped orders after the configured days, once across two instances', async () => {
    const { variantIds } = await createProduct(t, { variants: [{ specValues: [], price: 1200, stock: 10 }] });
    const orderNo = await buy(m, addressId, [{ variantId: variantIds[0], quantity: 1 }]);
    await t.get(OrderService).ship(orderNo, 'admin:1', '中通快递', 'ZT123456');
    assert.equal(await t.get(OrderJobs).completeShipped(new Date(Date.now() + 6 * 86_400_000)), 0);
    const [a, b] = await Promise.all([t.get(OrderJobs).completeShipped(new Date(Date.now() + 8 * 86_400_000)), second.get(OrderJobs).completeShipped(new Date(Date.now() + 8 * 86_400_000))]);
    assert.equal(a + b, 1);
    assert.equal((await t.ds.getRepository(Order).findOneByOrFail({ orderNo })).status, 'completed');
  });

  it('a scheduled tick runs on exactly one of two instances', async () => {
    let runs = 0;
    for (const app of [t, second]) app.get(JobScheduler).register({ name: 'test:count', everySeconds: 60, run: async () => { runs++; } });
    const at = new Date();
    const claimed = await Promise.all([t.get(JobScheduler).runTick('test:count', at), second.get(JobScheduler).runTick('test:count', at)]);
    assert.equal(claimed.filter(Boolean).length, 1);
    assert.equal(runs, 1);
    assert.equal(await t.get(JobScheduler).runTick('test:count', new Date(at.getTime() + 60_000)), true, 'the next tick runs again');
    assert.equal(runs, 2);
  });

  it('old tick rows are pruned, recent ones kept', async () => {
    const scheduler = t.get(JobScheduler);
    await t.ds.query(`UPDATE job_run SET created_at = ? WHERE job_name = ?`, [new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 19).replace('T', ' '), 'test:count']);
    await scheduler.runTick('test:count', new Date(Date.now() + 120_000));
    assert.equal(await scheduler.pruneRuns(), 2);
    assert.equal(await t.ds.query(`SELECT COUNT(*) AS n FROM job_run WHERE job_name = 'test:count'`).then((r: Array<{ n: number | string }>) => Number(r[0].n)), 1);
  });
});
