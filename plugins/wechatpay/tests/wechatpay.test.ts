import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, createVerify, generateKeyPairSync } from 'node:crypto';
import { addAddress, createProduct, createShipping, type MemberAgent } from '../../../tests/support/test-app.js';
import { adminHeaders } from '../../../tests/fixtures/admin-auth.js';
import { Order } from '../../../core/order/entities/order.entity.js';
import { Payment } from '../../../core/payment/entities/payment.entity.js';
import { Refund } from '../../../core/payment/entities/refund.entity.js';
import { Product } from '../../../core/catalog/entities/product.entity.js';
import { OrderJobs } from '../../../core/order/order-jobs.js';
import { PaymentService } from '../../../core/payment/payment.service.js';
import { pendingSchemaChanges } from '../../../core/database/schema-drift.js';
import { WechatpayEmulator, type SignedMessage } from '../emulator/wechatpay-emulator.js';
import { WechatpayEvent, WechatpayMismatch, WechatpaySecret } from '../entities/index.js';
import { WechatpayGateway } from '../services/gateway.service.js';
import { WechatpayProvider } from '../services/wechatpay.provider.js';
import { WechatpayReconciliation, chinaDate } from '../services/reconcile.service.js';
import { MERCHANT, startPayWorld, type PayWorld } from './support.js';

for (const mode of ['public_key', 'platform_certificate'] as const) {
  const skip = mode === 'platform_certificate' && !WechatpayEmulator.canMakeCertificates() ? 'openssl is needed to make a platform certificate' : false;

  describe(`WeChat Pay against the emulator (${mode})`, { skip }, () => {
    let w: PayWorld;
    let m: MemberAgent & { addressId: number };
    let variantIds: number[];
    let productId: number;

    before(async () => {
      w = await startPayWorld({ mode });
      await createShipping(w.t, { freeFrom: 1 });
      const p = await createProduct(w.t, { variants: [{ specValues: [], price: 5000, stock: 50 }] });
      const q = await createProduct(w.t, { variants: [{ specValues: [], price: 3000, stock: 50 }] });
      variantIds = [p.variantIds[0], q.variantIds[0]];
      productId = p.id;
      const s = await w.t.signIn(`付款人-${mode}`);
      m = { ...s, addressId: await addAddress(s) };
    });
    after(() => w?.stop());

    async function startPaying(items = [{ variantId: variantIds[0], quantity: 1 }]): Promise<{ orderNo: string; paymentNo: string; url: string }> {
      const placed = await m.agent.post('/api/v1/orders').send({ addressId: m.addressId, items });
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      const pay = await m.agent.post(`/api/v1/orders/${placed.body.orderNo}/payments`).send({});
      assert.equal(pay.status, 200, JSON.stringify(pay.body));
      assert.equal(pay.body.action.type, 'redirect', 'outside WeChat the emulator cashier stands in');
      return { orderNo: placed.body.orderNo as string, paymentNo: pay.body.paymentNo as string, url: pay.body.action.url as string };
    }

    const order = (orderNo: string) => w.t.ds.getRepository(Order).findOneByOrFail({ orderNo });
    const payment = (paymentNo: string) => w.t.ds.getRepository(Payment).findOneByOrFail({ paymentNo });
    const post = (path: string, msg: SignedMessage) => w.t.http().post(path).set(msg.headers).send(msg.body);

    it('pay → notify → paid once: prepay in fen with openid and time_expire, verified notification, repeat changes nothing', async () => {
      const { orderNo, paymentNo, url } = await startPaying();
      const tx = w.emu.transaction(paymentNo);
      const o = await order(orderNo);
      assert.equal(tx.total, o.payableTotal);
      assert.equal(tx.total, 5000, 'fen');
      const member = await w.t.ds.query('SELECT openid FROM member WHERE id = ?', [m.memberId]) as Array<{ openid: string }>;
      assert.equal(tx.openid, member[0].openid);
      assert.equal(tx.notifyUrl, 'http://mall.test/payments/wechat/notify');
      assert.match(tx.timeExpire!, /\+08:00$/);
      assert.equal(Math.floor(Date.parse(tx.timeExpire!) / 1000), Math.floor(o.paymentDueAt!.getTime() / 1000), 'time_expire = the order payment due time');
      assert.ok(url.startsWith(`${w.emu.baseUrl}/cashier/${tx.prepayId}`));
      // the cashier page renders; paying posts the notification to the mall
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /确认支付/);
      const salesBefore = (await w.t.ds.getRepository(Product).findOneByOrFail({ id: productId })).salesCount;
      const d = await w.emu.pay(paymentNo);
      assert.equal(d?.status, 204, 'WeChat Pay gets 204: stop retrying');
      assert.equal((await order(orderNo)).status, 'paid');
      const p = await payment(paymentNo);
      assert.equal(p.status, 'succeeded');
      assert.equal(p.providerTransactionId, tx.transactionId);
      // WeChat retries the same notification: answered OK, nothing changes
      const again = await w.emu.deliver(tx.notifyUrl, 'TRANSACTION.SUCCESS', w.emu.paymentNotification(paymentNo));
      assert.equal(again?.status, 204);
      const same = await post('/payments/wechat/notify', w.emu.paymentNotification(paymentNo));
      assert.equal(same.status, 204);
      assert.equal((await w.t.ds.getRepository(Product).findOneByOrFail({ id: productId })).salesCount, salesBefore + 1, 'paid once');
      assert.equal((await payment(paymentNo)).succeededAt?.getTime(), p.succeededAt?.getTime());
    });

    it('forged, tampered, mismatched and stale notifications change nothing and are logged', async () => {
      const { orderNo, paymentNo } = await startPaying();
      const tx = w.emu.transaction(paymentNo);
      // WeChat Pay says it was paid, but each notification below is wrong in one way
      tx.state = 'SUCCESS';
      tx.transactionId = '4200000000000000000000000001';
      const forger = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const good = w.emu.paymentNotification(paymentNo);
      const bad: Array<[string, SignedMessage]> = [
        ['forged signature', w.emu.paymentNotification(paymentNo, {}, { signWith: forger.privateKey })],
        ['body altered after signing', { headers: good.headers, body: good.body.replace('"summary":"支付成功"', '"summary":"支付成功 "') }],
        ['tampered amount', w.emu.paymentNotification(paymentNo, { amount: { total: 1, payer_total: 1, currency: 'CNY', payer_currency: 'CNY' } })],
        ['wrong appid', w.emu.paymentNotification(paymentNo, { appid: 'wx9999999999999999' })],
        ['wrong mchid', w.emu.paymentNotification(paymentNo, { mchid: '1900000000' })],
        ['expired timestamp', w.emu.paymentNotification(paymentNo, {}, { timestamp: Math.floor(Date.now() / 1000) - 600 })],
        ['unknown serial', w.emu.paymentNotification(paymentNo, {}, { serial: 'PUB_KEY_ID_0000000000' })],
        ['wrong APIv3 key', w.emu.paymentNotification(paymentNo, {}, { apiV3Key: 'x'.repeat(32) })],
        ['not paid', w.emu.paymentNotification(paymentNo, { trade_state: 'NOTPAY' })],
        ['unknown out_trade_no', w.emu.paymentNotification(paymentNo, { out_trade_no: 'P000000000000000000000' })],
      ];
      const eventsBefore = await w.t.ds.getRepository(WechatpayEvent).countBy({ outcome: 'refused' });
      for (const [what, msg] of bad) {
        const res = await post('/payments/wechat/notify', msg);
        assert.equal(res.status, 400, `${what}: refused`);
        assert.equal(res.body.code, 'FAIL', what);
        assert.equal((await order(orderNo)).status, 'pending_payment', `${what}: order unchanged`);
        assert.equal((await payment(paymentNo)).status, 'pending', `${what}: payment unchanged`);
      }
      assert.equal(await w.t.ds.getRepository(WechatpayEvent).countBy({ outcome: 'refused' }), eventsBefore + bad.length, 'each one logged');
      // the genuine one still works afterwards
      assert.equal((await post('/payments/wechat/notify', good)).status, 204);
      assert.equal((await order(orderNo)).status, 'paid');
    });

    it('notify lost → the order is queried before it is closed and turns out paid; an unpaid one is closed at WeChat too', async () => {
      const lost = await startPaying();
      w.emu.dropNotifications = 1;
      const d = await w.emu.pay(lost.paymentNo);
      assert.equal(d?.dropped, true);
      assert.equal((await order(lost.orderNo)).status, 'pending_payment');
      const unpaid = await startPaying();
      const past = new Date(Date.now() - 60_000);
      await w.t.ds.getRepository(Order).update({ orderNo: lost.orderNo }, { paymentDueAt: past });
      await w.t.ds.getRepository(Order).update({ orderNo: unpaid.orderNo }, { paymentDueAt: past });
      await w.t.get(OrderJobs).closeUnpaid();
      assert.equal((await order(lost.orderNo)).status, 'paid', 'active query found the payment');
      assert.equal((await payment(lost.paymentNo)).providerTransactionId, w.emu.transaction(lost.paymentNo).transactionId);
      assert.equal((await order(unpaid.orderNo)).status, 'closed');
      assert.equal(w.emu.transaction(unpaid.paymentNo).state, 'CLOSED', 'closed at WeChat Pay');
      assert.equal((await payment(unpaid.paymentNo)).status, 'closed');
    });

    it('partial refunds up to the full amount, one more refused; refund notifications verified and applied once', async () => {
      const { orderNo, paymentNo } = await startPaying([{ variantId: variantIds[0], quantity: 1 }, { variantId: variantIds[1], quantity: 1 }]);
      await w.emu.pay(paymentNo);
      const o = await order(orderNo);
      assert.equal(o.status, 'paid');
      const lines = await w.t.ds.query('SELECT id FROM order_line WHERE order_id = ? ORDER BY id', [o.id]) as Array<{ id: number }>;
      const payments = w.t.get(PaymentService);
      const r1 = await payments.refundLines(orderNo, [lines[0].id], 'admin:1', '不想要了');
      assert.equal(r1.status, 'pending');
      assert.equal(r1.amount, 5000);
      const er1 = w.emu.refunds.get(r1.refundNo)!;
      assert.equal(er1.refund, 5000);
      assert.equal(er1.total, o.paidTotal);
      assert.equal(er1.notifyUrl, 'http://mall.test/payments/wechat/refund-notify');
      // a forged refund notification is refused and changes nothing
      const forger = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const forged = w.emu.notification(MERCHANT.mchid, 'REFUND.SUCCESS', '退款成功', 'refund', { mchid: MERCHANT.mchid, out_trade_no: paymentNo, out_refund_no: r1.refundNo, refund_id: er1.refundId, refund_status: 'SUCCESS', amount: { refund: 5000, total: o.paidTotal } }, { signWith: forger.privateKey });
      assert.equal((await post('/payments/wechat/refund-notify', forged)).status, 400);
      const wrongAmount = w.emu.notification(MERCHANT.mchid, 'REFUND.SUCCESS', '退款成功', 'refund', { mchid: MERCHANT.mchid, out_trade_no: paymentNo, out_refund_no: r1.refundNo, refund_id: er1.refundId, refund_status: 'SUCCESS', amount: { refund: 4999, total: o.paidTotal } });
      assert.equal((await post('/payments/wechat/refund-notify', wrongAmount)).status, 400);
      assert.equal((await w.t.ds.getRepository(Refund).findOneByOrFail({ refundNo: r1.refundNo })).status, 'pending');
      // the bank completes it: the notification marks it succeeded, a repeat changes nothing
      const d = await w.emu.completeRefund(r1.refundNo);
      assert.equal(d?.status, 204);
      const saved = await w.t.ds.getRepository(Refund).findOneByOrFail({ refundNo: r1.refundNo });
      assert.equal(saved.status, 'succeeded');
      assert.equal(saved.providerRefundId, er1.refundId);
      assert.equal((await w.emu.deliver(er1.notifyUrl!, 'REFUND.SUCCESS', w.emu.notification(MERCHANT.mchid, 'REFUND.SUCCESS', '退款成功', 'refund', { mchid: MERCHANT.mchid, out_trade_no: paymentNo, transaction_id: er1.transactionId, out_refund_no: r1.refundNo, refund_id: er1.refundId, refund_status: 'SUCCESS', amount: { total: er1.total, refund: 5000 } })))?.status, 204);
      // the rest (second line + shipping): the full amount
      const r2 = await payments.refundOrder(orderNo, 'admin:1', '全部退款');
      assert.equal(r1.amount + r2.amount, o.paidTotal);
      assert.equal(w.emu.transaction(paymentNo).refunded, o.paidTotal);
      assert.equal((await order(orderNo)).status, 'refunded');
      // one more: refused by the mall, and by WeChat Pay if it were asked
      await assert.rejects(payments.refundOrder(orderNo, 'admin:1', '再退一次'), (e: { status?: number }) => e.status === 409);
      await assert.rejects(w.t.get(WechatpayProvider).refund({ refundNo: 'R999', paymentNo, providerTransactionId: null, amount: 1, totalAmount: o.paidTotal, reason: 'x' }), (e: Error) => /超过/.test(e.message));
      // the lost refund notification: the sync job's query settles it
      w.emu.dropNotifications = 1;
      await w.emu.completeRefund(r2.refundNo);
      assert.equal((await w.t.ds.getRepository(Refund).findOneByOrFail({ refundNo: r2.refundNo })).status, 'pending');
      const { WechatpayNotifications } = await import('../services/notifications.service.js');
      await w.t.get(WechatpayNotifications).sync();
      assert.equal((await w.t.ds.getRepository(Refund).findOneByOrFail({ refundNo: r2.refundNo })).status, 'succeeded');
    });

    it('reconciliation lists mismatches between the trade bill and the mall', async () => {
      const a = await startPaying();
      await w.emu.pay(a.paymentNo);
      const b = await startPaying();
      await w.emu.pay(b.paymentNo);
      // WeChat Pay's record of b differs in amount; the mall thinks c is paid but WeChat never saw it
      w.emu.transaction(b.paymentNo).total = 4000;
      const c = await startPaying();
      await w.t.ds.getRepository(Payment).update({ paymentNo: c.paymentNo }, { status: 'succeeded', succeededAt: new Date(), providerTransactionId: '4200000000000000000000099999' });
      const today = chinaDate(new Date());
      const res = await w.t.get(WechatpayReconciliation).run(today);
      assert.equal(res.source, 'bill');
      const kinds = Object.fromEntries(res.mismatches.map((f) => [f.paymentNo, f.kind]));
      assert.equal(kinds[b.paymentNo], 'amount_mismatch');
      assert.equal(kinds[c.paymentNo], 'paid_in_mall_only');
      assert.equal(kinds[a.paymentNo], undefined, 'a agrees');
      assert.ok(await w.t.ds.getRepository(WechatpayMismatch).countBy({ billDate: today }) >= 2);
      const admin = await adminHeaders(w.t);
      const page = await w.t.http().get('/admin/wechatpay').set(admin).set('accept', 'text/html');
      assert.equal(page.status, 200);
      assert.match(page.text, new RegExp(b.paymentNo));
      w.emu.transaction(b.paymentNo).total = 5000;
    });

    it('admin: the signed check call passes; secrets are stored encrypted and never sent back', async () => {
      const admin = await adminHeaders(w.t);
      const check = await w.t.http().post('/api/v1/admin/wechatpay/check').set(admin).send({});
      assert.equal(check.status, 200);
      assert.equal(check.body.ok, true, JSON.stringify(check.body));
      assert.match(check.body.message, /ORDER_NOT_EXIST/);
      const secret = 'K'.repeat(32);
      const saved = await w.t.http().put('/api/v1/admin/wechatpay/secrets').set(admin).send({ apiV3Key: secret });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.ok(!JSON.stringify(saved.body).includes(secret));
      assert.ok(!JSON.stringify(saved.body).includes('PRIVATE KEY'));
      const row = await w.t.ds.getRepository(WechatpaySecret).findOneByOrFail({ name: 'apiV3Key' });
      assert.ok(!row.value.includes(secret), 'encrypted at rest');
      // a wrong private key is explained in plain words
      const bad = w.t.get(WechatpayGateway);
      const cfg = (await bad.config.current())!;
      const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
      const api = bad.apiFor({ ...cfg, privateKey: other.privateKey });
      await assert.rejects(api.call('GET', `/v3/pay/transactions/out-trade-no/NOPE123?mchid=${cfg.mchid}`), (e: { code?: string }) => e.code === 'SIGN_ERROR');
    });

    it('JSAPI page parameters are signed as WeChat expects (checked with node:crypto)', async () => {
      const api = await w.t.get(WechatpayGateway).api();
      const p = api.jsapiParams('wx201410272009395522657a690389285100');
      assert.deepEqual(Object.keys(p).sort(), ['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
      assert.equal(p.signType, 'RSA');
      assert.equal(p.package, 'prepay_id=wx201410272009395522657a690389285100');
      const ok = createVerify('RSA-SHA256').update(`${p.appId}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`).verify(createPublicKey(w.merchantKeys.publicKey), p.paySign, 'base64');
      assert.ok(ok);
    });

    it('the plugin schema matches its migrations', async () => {
      const pending = await pendingSchemaChanges(w.t.ds);
      assert.deepEqual(pending.up, [], pending.up.join('\n'));
    });
  });
}
