import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addAddress, buy, createProduct, startTestApp, type MemberAgent, type TestApp } from '../../../tests/support/test-app.js';
import { adminHeaders } from '../../../tests/fixtures/admin-auth.js';
import { OrderService } from '../../../core/order/order.service.js';
import { GiftNote } from '../entities/gift-note.entity.js';
import { GiftNoteService } from '../gift-note.service.js';

describe('gift-note plugin', () => {
  let t: TestApp;
  let variantId: number;
  let m: MemberAgent;
  let addressId: number;
  before(async () => {
    t = await startTestApp({ env: { PLUGINS: 'gift-note' } });
    [variantId] = (await createProduct(t, { variants: [{ specValues: [], price: 9900, stock: 100 }] })).variantIds;
    m = await t.signIn('小红');
    addressId = await addAddress(m);
  });
  after(() => t.close());

  const note = (who: MemberAgent, orderNo: string, text: string) =>
    who.agent.put(`/api/v1/gift-note/orders/${orderNo}`).send({ text });

  it('saves a note, shows it on the order page, and locks it once the order ships', async () => {
    const orderNo = await buy(m, addressId, [{ variantId, quantity: 1 }]);
    // before any note: the slot shows the prompt from the settings
    let page = await m.agent.get(`/orders/${orderNo}`).expect(200);
    assert.match(page.text, /class="card gift-note"[\s\S]*贺卡留言[\s\S]*写一句祝福吧/);

    await note(m, orderNo, '生日快乐').expect(200);
    await note(m, orderNo, '生日快乐！').expect(200);         // editable until it ships
    page = await m.agent.get(`/orders/${orderNo}`).expect(200);
    assert.match(page.text, /<p>生日快乐！<\/p>/);

    await t.get(OrderService).ship(orderNo, 'admin:1', '顺丰', 'SF1');
    await t.settle();                                           // wait for after-commit deliveries
    const locked = await note(m, orderNo, 'x').expect(409);
    assert.equal(locked.body.code, 'note_locked');
    const row = await t.ds.getRepository(GiftNote).findOneByOrFail({ orderId: (await t.get(OrderService).byNo(orderNo)).id });
    assert.equal(row.text, '生日快乐！');
    assert.ok(row.lockedAt);
  });

  it('escapes the note on the page and leaves the slot out of other pages', async () => {
    const orderNo = await buy(m, addressId, [{ variantId, quantity: 1 }]);
    await note(m, orderNo, '<b>惊喜</b>').expect(200);
    const page = await m.agent.get(`/orders/${orderNo}`).expect(200);
    assert.match(page.text, /<p>&lt;b&gt;惊喜&lt;\/b&gt;<\/p>/);
    const home = await m.agent.get('/').expect(200);
    assert.doesNotMatch(home.text, /gift-note/);
  });

  it('locks idempotently: a repeated delivery keeps the first lock time', async () => {
    const orderNo = await buy(m, addressId, [{ variantId, quantity: 1 }]);
    await note(m, orderNo, '新年好').expect(200);
    const orderId = (await t.get(OrderService).byNo(orderNo)).id;
    const service = t.get(GiftNoteService);
    await service.lock(orderId);
    const first = (await t.ds.getRepository(GiftNote).findOneByOrFail({ orderId })).lockedAt;
    await new Promise((r) => setTimeout(r, 1100));
    await service.lock(orderId);
    assert.deepEqual((await t.ds.getRepository(GiftNote).findOneByOrFail({ orderId })).lockedAt, first);
  });

  it("refuses blank notes, other members' orders, unknown orders and signed-out callers", async () => {
    const orderNo = await buy(m, addressId, [{ variantId, quantity: 1 }]);
    assert.equal((await note(m, orderNo, '   ').expect(400)).body.code, 'invalid_note');
    const other = await t.signIn('小明');
    await note(other, orderNo, '你好').expect(404);
    await note(m, 'NO-SUCH-ORDER', '你好').expect(404);
    await t.http().put(`/api/v1/gift-note/orders/${orderNo}`).send({ text: '你好' }).expect(401);
  });

  it('applies the maximum length from the admin settings without a restart', async () => {
    const orderNo = await buy(m, addressId, [{ variantId, quantity: 1 }]);
    await note(m, orderNo, '福'.repeat(100)).expect(200);      // default maxLength 100
    await note(m, orderNo, '福'.repeat(101)).expect(400);
    const admin = await adminHeaders(t);
    const form = await t.http().get('/admin/plugins/gift-note').set(admin).expect(200);   // generated from the manifest
    assert.match(form.text, /留言最多字数/);
    await t.http().put('/api/v1/plugins/gift-note/settings').set(admin)
      .send({ settings: { maxLength: 10 } }).expect(200);
    assert.equal((await note(m, orderNo, '福'.repeat(11)).expect(400)).body.code, 'invalid_note');
    await note(m, orderNo, '福'.repeat(10)).expect(200);
    // validateSettings: the prompt (default 6 characters) may not be longer than maxLength
    const bad = await t.http().put('/api/v1/plugins/gift-note/settings').set(admin)
      .send({ settings: { maxLength: 10, prompt: '请写下您对收礼人的祝福语吧' } }).expect(400);
    assert.match(JSON.stringify(bad.body), /prompt must not be longer than maxLength/);
  });
});
