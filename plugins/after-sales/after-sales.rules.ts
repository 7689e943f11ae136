import type { AfterSalesStatus, AfterSalesType } from './entities/after-sales-request.entity.js';

export const PLUGIN_ID = 'after-sales';

export interface AfterSalesSettings {
  merchantResponseHours: number;
  timeoutAction: 'auto_approve' | 'escalate';
  returnShipDays: number;
  returnAddress: string;
}

export const TYPES: readonly AfterSalesType[] = ['refund_only', 'return_and_refund'];

/** Reason codes offered to buyers (labels in locales under `reason.<code>`); "other" asks for free text. */
export const REASONS = ['not_received', 'no_longer_wanted', 'wrong_item', 'damaged', 'quality', 'not_as_described', 'missing_parts', 'other'] as const;
export type ReasonCode = (typeof REASONS)[number];

/** Photos are links: https URLs or paths on this site (e.g. /media/…), never javascript:, data: or protocol-relative. */
export const PHOTO_PATTERN = /^(https:\/\/[A-Za-z0-9.-]+(:\d+)?\/[^\s"'<>]*|\/(?!\/)[^\s"'<>]*)$/;

/** Statuses from which each actor may act. */
export const CAN = {
  approve: ['requested', 'escalated'],
  reject: ['requested', 'escalated', 'awaiting_return', 'returned'],
  receive: ['awaiting_return', 'returned'],
  cancel: ['requested', 'escalated', 'awaiting_return'],
  shipReturn: ['awaiting_return'],
} satisfies Record<string, AfterSalesStatus[]>;

/** The buyer-facing steps of a type, for the progress bar. */
export function stepsOf(type: AfterSalesType): AfterSalesStatus[] {
  return type === 'refund_only' ? ['requested', 'approved', 'refunding', 'refunded'] : ['requested', 'approved', 'awaiting_return', 'returned', 'received', 'refunding', 'refunded'];
}
