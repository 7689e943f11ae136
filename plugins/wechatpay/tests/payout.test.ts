import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LedgerService } from '../../distribution/services/ledger.service.js';
import { WithdrawalService } from '../../distribution/services/withdrawal.service.js';
import { Withdrawal } from '../../distribution/entities/withdrawal.entity.js';
import { WechatpayTransfer } from '../entities/index.js';
import type { MemberAgent } from '../../../tests/support/test-app.js';
import { startPayWorld, type PayWorld } from './support.js';

describe('payouts: distributor withdrawals by merchant transfer (商家转账)', () => {
  let w: PayWorld;
  let d: MemberAgent;
  let seq = 0;

  before(async () => {
    w = await startPayWorld({ plugins: 'distribution,distribution-single,wechatpay' });
    d = await w.t.signIn('分销员小王');
    const applied = await d.agent.post('/api/v1/distribution/apply').send({ shopName: '小王的店' });
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    const ledger = w.t.get(LedgerService);
    await w.t.ds.transaction((m) => ledger.post(m, d.memberId, 'test:seed', 'adjustment', 'test', [{ bucket: 'available', amount: 5000 }]));
  });
  after(() => w?.stop());

  async function withdraw(amount: number): Promise<string> {
    const res = await d.agent.post('/api/v1/distribution/withdrawals').send({ amount });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    seq++;
    return res.body.withdrawalNo as string;
  }

  it('the "wechat" channel is registered; the transfer waits for the payee, who confirms with the package; success is paid', async () => {
    const withdrawals = w.t.get(WithdrawalService);
    assert.ok(withdrawals.channels().includes('wechat'));
    const no = await withdraw(1000);
    const approved = await withdrawals.approve(no, 'wechat');
    assert.equal(approved.status, 'paying');
    const t = w.emu.transfers.get(no)!;
    assert.equal(t.state, 'WAIT_USER_CONFIRM');
    assert.equal(t.amount, 1000);
    assert.equal(t.notifyUrl, 'http://mall.test/payments/wechat/transfer-notify');
    const row = await w.t.ds.getRepository(WechatpayTransfer).findOneByOrFail({ outBillNo: no });
    assert.equal(row.packageInfo, t.packageInfo);
    assert.equal((await withdrawals.byNo(no)).providerRef, t.transferBillNo);
    // the storefront confirm page hands the package to requestMerchantTransfer
    const page = await d.agent.get(`/wechatpay/transfers/${no}/confirm`).set('accept', 'text/html');
    assert.equal(page.status, 200);
    assert.ok(page.text.includes('requestMerchantTransfer'));
    assert.ok(page.text.includes(t.packageInfo));
    const stranger = await w.t.signIn('路人');
    assert.equal((await stranger.agent.get(`/wechatpay/transfers/${no}/confirm`).set('accept', 'text/html')).status, 404);
    // the payee confirms in WeChat: the finished notification pays the withdrawal
    const delivery = await w.emu.confirmTransfer(no);
    assert.equal(delivery?.status, 204);
    const done = await withdrawals.byNo(no);
    assert.equal(done.status, 'paid');
    const balances = await w.t.get(LedgerService).balances(d.memberId);
    assert.equal(balances.withdrawn, 1000);
    assert.equal(balances.available, 4000);
    // repeated notification: nothing changes
    assert.equal((await w.emu.deliver(t.notifyUrl!, 'MCHTRANSFER.BILL.FINISHED', w.emu.notification(t.mchid, 'MCHTRANSFER.BILL.FINISHED', 'x', 'mch_payment', { out_bill_no: no, transfer_bill_no: t.transferBillNo, state: 'SUCCESS', mch_id: t.mchid, transfer_amount: 1000, openid: t.openid })))?.status, 204);
    assert.equal((await w.t.get(LedgerService).balances(d.memberId)).withdrawn, 1000);
  });

  it('a failed transfer returns the funds to the balance with the reason; forged transfer notifications are refused', async () => {
    const withdrawals = w.t.get(WithdrawalService);
    const no = await withdraw(1500);
    await withdrawals.approve(no, 'wechat');
    const t = w.emu.transfers.get(no)!;
    const forged = w.emu.notification(t.mchid, 'MCHTRANSFER.BILL.FINISHED', 'x', 'mch_payment', { out_bill_no: no, state: 'SUCCESS', mch_id: t.mchid, transfer_amount: 1500, openid: t.openid }, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    assert.equal((await w.t.http().post('/payments/wechat/transfer-notify').set(forged.headers).send(forged.body)).status, 400);
    assert.equal((await withdrawals.byNo(no)).status, 'paying');
    await w.emu.failTransfer(no, 'ACCOUNT_FROZEN');
    const failed = await withdrawals.byNo(no);
    assert.equal(failed.status, 'failed');
    assert.match(failed.reason ?? '', /冻结/);
    const b = await w.t.get(LedgerService).balances(d.memberId);
    assert.equal(b.available, 4000, 'the 1500 came back');
    assert.equal(b.withdrawing, 0);
    const page = await d.agent.get(`/wechatpay/transfers/${no}/confirm`).set('accept', 'text/html');
    assert.match(page.text, /退回/);
  });

  it('a transfer refused at once (and one whose notification is lost) ends right too', async () => {
    const withdrawals = w.t.get(WithdrawalService);
    const openid = (await w.t.ds.query('SELECT openid FROM member WHERE id = ?', [d.memberId]) as Array<{ openid: string }>)[0].openid;
    w.emu.failingPayees.set(openid, 'REAL_NAME_CHECK_FAIL');
    const no = await withdraw(1000);
    const res = await withdrawals.approve(no, 'wechat');
    assert.equal(res.status, 'failed');
    assert.match(res.reason ?? '', /实名/);
    w.emu.failingPayees.delete(openid);
    const lost = await withdraw(1000);
    await withdrawals.approve(lost, 'wechat');
    w.emu.dropNotifications = 1;
    await w.emu.confirmTransfer(lost);
    assert.equal((await withdrawals.byNo(lost)).status, 'paying');
    const { WechatpayNotifications } = await import('../services/notifications.service.js');
    await w.t.get(WechatpayNotifications).sync();
    assert.equal((await withdrawals.byNo(lost)).status, 'paid');
    assert.equal((await w.t.ds.getRepository(Withdrawal).countBy({ distributorMemberId: d.memberId })), seq);
  });
});
