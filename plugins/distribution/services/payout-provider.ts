/**
 * How an approved withdrawal reaches the distributor. "offline" (the merchant pays by hand and marks
 * it paid) is built in; the WeChat Pay plugin adds a provider for 商家转账 to the WeChat balance.
 */
export interface PayoutRequest {
  withdrawalNo: string;
  memberId: number;
  /** What the distributor receives (fen). */
  amount: number;
  description: string;
}

export type PayoutResult =
  | { status: 'succeeded'; providerRef: string }
  | { status: 'pending'; providerRef: string }
  /** The recipient must confirm in WeChat; `confirmPackage` is handed to the storefront page. */
  | { status: 'wait_user_confirm'; providerRef: string; confirmPackage: string }
  | { status: 'failed'; reason: string };

export interface PayoutProvider {
  readonly id: string;
  transfer(request: PayoutRequest): Promise<PayoutResult>;
  /** For pending transfers: the provider's final word, or null while still pending. */
  query(withdrawalNo: string): Promise<PayoutResult | null>;
}
