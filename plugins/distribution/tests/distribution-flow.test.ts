import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, createProduct, createShipping, addAddress, buy, type TestApp, type MemberAgent } from '../../../tests/support/test-app.js';
import { OrderService } from '../../../core/order/order.service.js';
import { PaymentService } from '../../../core/payment/payment.service.js';
import { CommissionService } from '../services/commission.service.js';
import { LedgerService } from '../services/ledger.service.js';
import { Commission } from '../entities/commission.entity.js';
import { LedgerEntry } from '../entities/ledger-entry.entity.js';

interface Person extends MemberAgent {
  name: string;
  code?: string;
}

async function becomeDistributor(p: Person): Promise<void> {
  const res = await p.agent.post('/api/v1/distribution/apply').send({}).expect(200);
  assert.equal(res.body.status, 'active');
  p.code = res.body.referralCode;
}

async function bindTo(p: Person, upline: Person): Promise<string> {
  const res = await p.agent.post('/api/v1/distribution/bind').send({ code: upline.code }).expect(200);
  return res.body.outcome as string;
}

/** Everyone's balances must equal what their commissions say, to the fen. */
async function assertReconciles(t: TestApp, people: Person[]): Promise<void> {
  for (const p of people) {
    const b = await t.get(LedgerService).balances(p.memberId);
    const rows = await t.ds.getRepository(Commission).findBy({ distributorMemberId: p.memberId });
    const sum = (status: string) => rows.filter((r) => r.status === status).reduce((s, r) => s + r.amount, 0);
    assert.equal(b.frozen, sum('frozen'), `${p.name} frozen`);
    assert.equal(b.available + b.withdrawing + b.withdrawn, sum('available'), `${p.name} available`);
  }
}

for (const mode of ['multi', 'single'] as const) {
  describe(`distribution end to end (${mode})`, () => {
    let t: TestApp;
    const people: Record<string, Person> = {};
    let lines: { variantA: number; variantB: number };
    let addressId: number;

    before(async () => {
      const configFile = join(mkdtempSync(join(tmpdir(), 'mall-dist-')), 'mall.config.json');
      writeFileSync(configFile, JSON.stringify({ plugins: { distribution: { settings: { mode, levelsDeep: 3, refundWindowDays: 7, withdrawMin: 100 } } } }));
      t = await startTestApp({ env: { PLUGINS: `distribution,distribution-${mode}`, MALL_CONFIG: configFile } });
      await createShipping(t);
      for (const name of ['A', 'B', 'C', 'D']) people[name] = { ...(await t.signIn(`分销测试${name}-${mode}`)), name };
      const a = await createProduct(t, { variants: [{ specValues: [], price: 10000, stock: 50 }] });
      const b = await createProduct(t, { variants: [{ specValues: [], price: 5000, stock: 50 }] });
      lines = { variantA: a.variantIds[0], variantB: b.variantIds[0] };
      addressId = await addAddress(people.D);
    });
    after(() => t.close());

    it('A shares → B binds → B shares → C binds → D binds via C → D buys: commissions per mode', async () => {
      const { A, B, C, D } = people;
      await becomeDistributor(A);
      assert.equal(await bindTo(B, A), 'bound');
      await becomeDistributor(B);
      assert.equal(await bindTo(C, B), 'bound');
      await becomeDistributor(C);
      assert.equal(await bindTo(D, C), 'bound');
      assert.equal(await bindTo(D, A), 'already_bound', 'permanent binding keeps the first upline');

      const orderNo = await buy(D, addressId, [{ variantId: lines.variantA, quantity: 1 }, { variantId: lines.variantB, quantity: 1 }]);
      await t.settle();
      const rows = await t.ds.getRepository(Commission).find({ order: { orderLineId: 'ASC', level: 'ASC' } });
      const byPerson = (p: Person) => rows.filter((r) => r.distributorMemberId === p.memberId).reduce((s, r) => s + r.amount, 0);
      // default level: L1 10%, L2 5%, L3 2% of what each line paid (¥100 and ¥50)
      assert.equal(byPerson(C), 1500);
      assert.equal(byPerson(B), mode === 'multi' ? 750 : 0);
      assert.equal(byPerson(A), mode === 'multi' ? 300 : 0);
      assert.ok(rows.every((r) => r.status === 'frozen'));
      assert.equal((await t.get(LedgerService).balances(C.memberId)).frozen, 1500);

      // the same event again changes nothing
      const order = await t.get(OrderService).byNo(orderNo);
      assert.equal(await t.get(CommissionService).onPaid(order.id), 0);
      assert.equal(await t.ds.getRepository(Commission).count(), rows.length);

      // complete; still frozen inside the refund window; available after it
      await t.get(OrderService).ship(orderNo, 'admin:1', '顺丰速运', 'SF100200300');
      await D.agent.post(`/api/v1/orders/${orderNo}/confirm-receipt`).expect(200);
      await t.settle();
      assert.equal(await t.get(CommissionService).unlockDue(new Date(Date.now() + 6 * 86_400_000)), 0);
      assert.equal(await t.get(CommissionService).unlockDue(new Date(Date.now() + 8 * 86_400_000)), rows.length);
      assert.equal((await t.get(LedgerService).balances(C.memberId)).available, 1500);

      // refunding one line reverses only that line's commission, even though it was available
      const lineB = (await t.get(OrderService).view(order)).lines.find((l) => l.variantId === lines.variantB)!;
      await t.get(PaymentService).refundLines(orderNo, [lineB.id], 'admin:1', '退货');
      await t.settle();
      const after = await t.ds.getRepository(Commission).find();
      assert.ok(after.filter((r) => r.orderLineId === lineB.id).every((r) => r.status === 'reversed'));
      assert.ok(after.filter((r) => r.orderLineId !== lineB.id).every((r) => r.status === 'available'));
      assert.equal((await t.get(LedgerService).balances(C.memberId)).available, 1000);
      await assertReconciles(t, Object.values(people));
    });

    it('a partial refund of a line reverses its commission in proportion (half up); the rest reverses it all', async () => {
      const { D } = people;
      const orderNo = await buy(D, addressId, [{ variantId: lines.variantA, quantity: 1 }, { variantId: lines.variantB, quantity: 1 }]);
      await t.settle();
      const order = await t.get(OrderService).byNo(orderNo);
      const lineA = (await t.get(OrderService).view(order)).lines.find((l) => l.variantId === lines.variantA)!;
      const original = await t.ds.getRepository(Commission).find({ where: { orderId: order.id, orderLineId: lineA.id }, order: { level: 'ASC' } });
      assert.ok(original.length > 0);
      await t.get(PaymentService).refundAmounts(orderNo, [{ lineId: lineA.id, amount: 3333 }], 'admin:1', '部分退款');
      await t.settle();
      let now = await t.ds.getRepository(Commission).find({ where: { orderId: order.id, orderLineId: lineA.id }, order: { level: 'ASC' } });
      for (const [i, c] of original.entries()) {
        const share = Math.floor((2 * c.amount * 3333 + lineA.payableTotal) / (2 * lineA.payableTotal)); // round half up
        assert.equal(now[i].amount, c.amount - share, `L${c.level}: ${c.amount} × 3333 / ${lineA.payableTotal} reversed`);
        assert.equal(now[i].status, 'frozen');
      }
      assert.equal(await t.get(CommissionService).onRefunded(order.id, [lineA.id]), 0, 'redelivery reverses nothing more');
      await assertReconciles(t, Object.values(people));

      await t.get(PaymentService).refundAmounts(orderNo, [{ lineId: lineA.id, amount: lineA.payableTotal - 3333 }], 'admin:1', '余款');
      await t.settle();
      now = await t.ds.getRepository(Commission).find({ where: { orderId: order.id, orderLineId: lineA.id } });
      assert.ok(now.every((c) => c.status === 'reversed'));
      const reversals = await t.ds.getRepository(LedgerEntry).findBy({ kind: 'commission_reversed' });
      for (const c of original) assert.equal(reversals.filter((e) => e.ref === `commission:${c.id}`).reduce((sum, e) => sum - e.amount, 0), c.amount, 'partial reversals add up to the whole commission');
      assert.ok((await t.ds.getRepository(Commission).find({ where: { orderId: order.id } })).filter((c) => c.orderLineId !== lineA.id).every((c) => c.status === 'frozen'), 'the other line keeps its commission');
      await assertReconciles(t, Object.values(people));
    });

    it('a cycle is refused, and a distributor cannot rebind', async () => {
      const { A, D } = people;
      await becomeDistributor(D);
      assert.equal(await bindTo(A, D), 'cycle', 'A is above D: binding A under D would close a loop');
      assert.equal(await bindTo(D, D), 'self');
      const res = await A.agent.post('/api/v1/distribution/bind').send({ code: 'NOPE1234' }).expect(200);
      assert.equal(res.body.outcome, 'unknown_code');
    });

    it('concurrent withdrawals never take more than the available balance', async () => {
      const { C } = people;
      const available = (await t.get(LedgerService).balances(C.memberId)).available;
      assert.equal(available, 1000);
      const results = await Promise.all(Array.from({ length: 8 }, () => C.agent.post('/api/v1/distribution/withdrawals').send({ amount: 400 })));
      assert.equal(results.filter((r) => r.status === 201).length, 2, results.map((r) => r.status).join(','));
      for (const r of results.filter((x) => x.status !== 201)) assert.equal(r.body.code, 'insufficient_balance');
      const b = await t.get(LedgerService).balances(C.memberId);
      assert.deepEqual([b.available, b.withdrawing], [200, 800]);
      const tooSmall = await C.agent.post('/api/v1/distribution/withdrawals').send({ amount: 50 }).expect(400);
      assert.equal(tooSmall.body.code, 'below_minimum');
      assert.equal(await t.ds.getRepository(LedgerEntry).countBy({ kind: 'withdrawal_requested' }), 4, 'two movements of two entries');
      await assertReconciles(t, Object.values(people));
    });

    it('members only ever see their own distribution data', async () => {
      const { A, C } = people;
      const mine = await C.agent.get('/api/v1/distribution/commissions').expect(200);
      assert.ok(mine.body.items.every((c: { distributorMemberId: number }) => c.distributorMemberId === C.memberId));
      const theirs = await A.agent.get('/api/v1/distribution/withdrawals').expect(200);
      assert.equal(theirs.body.total, 0);
      await t.http().get('/api/v1/distribution/me').expect(401);
    });
  });
}

describe('distribution engine edge cases', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { PLUGINS: 'distribution,distribution-single' } });
  });
  after(() => t.close());

  it('a payout provider that throws returns the funds instead of stranding the withdrawal', async () => {
    const { WithdrawalService } = await import('../services/withdrawal.service.js');
    const { LedgerService } = await import('../services/ledger.service.js');
    const { DistributorService } = await import('../services/distributor.service.js');
    const m = await t.signIn('出错的提现');
    await t.get(DistributorService).apply(m.memberId);
    await t.ds.transaction((manager) => t.get(LedgerService).post(manager, m.memberId, 'test:seed', 'commission_unlocked', 'test', [{ bucket: 'available', amount: 5000 }]));
    const withdrawals = t.get(WithdrawalService);
    withdrawals.registerProvider({ id: 'broken', transfer: async () => { throw new Error('network down'); }, query: async () => null });
    const w = await withdrawals.request(m.memberId, 3000);
    const after = await withdrawals.approve(w.withdrawalNo, 'broken');
    assert.equal(after.status, 'failed');
    assert.match(after.reason ?? '', /network down/);
    const b = await t.get(LedgerService).balances(m.memberId);
    assert.deepEqual([b.available, b.withdrawing], [5000, 0]);
    await assert.rejects(withdrawals.approve('W-unknown'), /not found/);
  });

  it('an applicant cannot be switched on without approval; a disabled distributor is re-enabled, not approved', async () => {
    const { DistributorService } = await import('../services/distributor.service.js');
    const distributors = t.get(DistributorService);
    const m = await t.signIn('状态切换');
    await distributors.apply(m.memberId);
    await distributors.setStatus(m.memberId, 'disabled');
    await assert.rejects(distributors.approve(m.memberId), /re-enable/);
    await distributors.setStatus(m.memberId, 'active');
    assert.equal((await distributors.byMember(m.memberId))?.status, 'active');
  });
});
