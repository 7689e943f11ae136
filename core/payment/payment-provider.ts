import type { Member } from '../customer/entities/member.entity.js';
import type { Order } from '../order/entities/order.entity.js';

/** What the page must do next to let the shopper pay. */
export type PaymentAction =
  | { type: 'redirect'; url: string }
  /** WeixinJSBridge getBrandWCPayRequest / wx.chooseWXPay parameters. */
  | { type: 'jsapi'; params: Record<string, string> };

export interface CreatePaymentInput {
  paymentNo: string;
  order: Order;
  member: Member;
  amount: number;
  description: string;
  expiresAt: Date;
  /** The public URL where this provider's notifications must arrive. */
  notifyUrl: string;
  /** Where to send the shopper after paying. */
  returnUrl: string;
}

/** The provider's verified statement about one payment. */
export interface PaymentConfirmation {
  paymentNo: string;
  providerTransactionId: string;
  amount: number;
  succeeded: boolean;
  /** Provider-specific facts that were checked (appid, mchid, payer openid …). */
  details?: Record<string, string>;
}

/** The raw HTTP notification a provider received. */
export interface IncomingNotification {
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
}

/**
 * A way to collect money. Core ships the sandbox provider; the WeChat Pay plugin adds another.
 * Every method must be safe to call twice for the same paymentNo / refundNo.
 */
export interface PaymentProvider {
  /** "sandbox", "wechatpay". */
  readonly id: string;
  createPayment(input: CreatePaymentInput): Promise<PaymentAction>;
  /**
   * Verifies a notification (signature, freshness, decryption) and says what it confirms.
   * Throw to refuse it; `reply` says what to answer the provider so that it stops retrying.
   */
  parseNotification(notification: IncomingNotification): Promise<PaymentConfirmation>;
  notificationReply(ok: boolean): { status: number; body: string | Record<string, unknown>; contentType?: string };
  /** Asks the provider about a payment whose notification may have been lost. Null: unknown or unpaid. */
  queryPayment(paymentNo: string): Promise<PaymentConfirmation | null>;
  /** Closes an unpaid payment at the provider so it can no longer be paid. */
  closePayment(paymentNo: string): Promise<void>;
  refund(input: { refundNo: string; paymentNo: string; providerTransactionId: string | null; amount: number; totalAmount: number; reason: string }): Promise<{ providerRefundId: string; status: 'succeeded' | 'pending' }>;
}

export const PAYMENT_PROVIDERS = Symbol('PAYMENT_PROVIDERS');
