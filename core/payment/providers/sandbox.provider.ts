import { createHmac, timingSafeEqual, randomUUID } from 'node:crypto';
import { DomainError } from '../../common/errors.js';
import type { CreatePaymentInput, IncomingNotification, PaymentAction, PaymentConfirmation, PaymentProvider } from '../payment-provider.js';

interface SandboxState {
  amount: number;
  paid: boolean;
  closed: boolean;
  transactionId: string | null;
  refunded: number;
}

/**
 * A pretend payment processor for the demo and tests. Its "pay" page posts a notification signed with
 * HMAC-SHA256 (key derived from SESSION_SECRET), which goes through the same verify → confirm path as
 * a real provider. State lives in memory: good for a demo, not for money.
 */
export class SandboxPaymentProvider implements PaymentProvider {
  readonly id = 'sandbox';
  private readonly payments = new Map<string, SandboxState>();

  constructor(private readonly secret: string, private readonly publicUrl: string) {}

  async createPayment(input: CreatePaymentInput): Promise<PaymentAction> {
    const state = this.payments.get(input.paymentNo);
    if (!state) this.payments.set(input.paymentNo, { amount: input.amount, paid: false, closed: false, transactionId: null, refunded: 0 });
    return { type: 'redirect', url: `/payments/sandbox/${input.paymentNo}` };
  }

  /** What the sandbox pay page posts when the shopper presses 确认支付. */
  signedNotification(paymentNo: string, amount: number, timestamp = Math.floor(Date.now() / 1000)): IncomingNotification {
    const state = this.payments.get(paymentNo);
    if (state && !state.transactionId) state.transactionId = `SBX${Date.now()}${randomUUID().slice(0, 8)}`;
    const body = JSON.stringify({ paymentNo, amount, transactionId: state?.transactionId ?? `SBX-unknown-${paymentNo}`, status: 'SUCCESS' });
    return { headers: { 'x-sandbox-timestamp': String(timestamp), 'x-sandbox-signature': this.sign(`${timestamp}\n${body}`) }, rawBody: body };
  }

  async parseNotification(n: IncomingNotification): Promise<PaymentConfirmation> {
    const ts = String(n.headers['x-sandbox-timestamp'] ?? '');
    const sig = String(n.headers['x-sandbox-signature'] ?? '');
    const expected = this.sign(`${ts}\n${n.rawBody}`);
    if (!sig || sig.length !== expected.length || !timingSafeEqual(Buffer.from(sig), Buffer.from(expected))) {
      throw new DomainError(401, 'bad_signature', 'notification signature does not verify');
    }
    if (!/^\d+$/.test(ts) || Math.abs(Date.now() / 1000 - Number(ts)) > 300) throw new DomainError(401, 'stale_notification', 'notification timestamp is older than 5 minutes');
    const body = JSON.parse(n.rawBody) as { paymentNo: string; amount: number; transactionId: string; status: string };
    const state = this.payments.get(body.paymentNo);
    if (state && !state.closed) state.paid = true;
    return { paymentNo: body.paymentNo, providerTransactionId: body.transactionId, amount: body.amount, succeeded: body.status === 'SUCCESS' };
  }

  notificationReply(ok: boolean) {
    return { status: ok ? 200 : 400, body: ok ? { code: 'SUCCESS' } : { code: 'FAIL', message: 'rejected' } };
  }

  async queryPayment(paymentNo: string): Promise<PaymentConfirmation | null> {
    const s = this.payments.get(paymentNo);
    if (!s?.paid || !s.transactionId) return null;
    return { paymentNo, providerTransactionId: s.transactionId, amount: s.amount, succeeded: true };
  }

  async closePayment(paymentNo: string): Promise<void> {
    const s = this.payments.get(paymentNo);
    if (s && !s.paid) s.closed = true;
  }

  async refund(input: { refundNo: string; paymentNo: string; amount: number; totalAmount: number }): Promise<{ providerRefundId: string; status: 'succeeded' }> {
    const s = this.payments.get(input.paymentNo);
    if (s) {
      if (s.refunded + input.amount > s.amount) throw new DomainError(409, 'refund_exceeds_payment', 'refund would exceed the amount paid');
      s.refunded += input.amount;
    }
    return { providerRefundId: `SBXR${input.refundNo}`, status: 'succeeded' };
  }

  private sign(data: string): string {
    return createHmac('sha256', `sandbox-pay:${this.secret}`).update(data).digest('hex');
  }
}
