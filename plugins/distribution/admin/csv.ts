import { fenToYuanString } from '../../../core/common/money.js';
import { formatDate } from '../../../core/theme/helpers.js';
import type { LedgerRow } from '../services/admin-queries.service.js';

/** Excel opens a UTF-8 CSV as UTF-8 (and shows Chinese correctly) only when it starts with a BOM. */
export const UTF8_BOM = '\uFEFF';

/**
 * One RFC 4180 field: quoted when it holds a comma, a double quote, CR or LF (or leading/trailing
 * spaces, which spreadsheet programs would otherwise trim); quotes inside are doubled.
 */
export function csvField(value: string | number | null | undefined): string {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Free text from members (nicknames, notes): a leading = + - @ (or tab/CR) would make a spreadsheet
 * run it as a formula, so such text gets a leading apostrophe (OWASP "CSV injection").
 */
export function csvText(value: string | null | undefined): string {
  const s = value ?? '';
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** A record: fields joined by commas, ended by CRLF (RFC 4180). */
export function csvLine(fields: Array<string | number | null | undefined>): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export const LEDGER_CSV_HEADER = ['流水ID', '时间(北京时间)', '分销员会员ID', '昵称', '推广码', '类型', '类型代码', '账户', '金额(元)', '金额(分)', '关联单据', '备注'];

export function ledgerCsvLine(row: LedgerRow, kindLabel: (kind: string) => string, bucketLabel: (bucket: string) => string): string {
  return csvLine([
    row.id, formatDate(row.createdAt, 'YYYY-MM-DD HH:mm:ss'), row.distributorMemberId, csvText(row.nickname), row.referralCode,
    kindLabel(row.kind), row.kind, bucketLabel(row.bucket), fenToYuanString(row.amount), row.amount, csvText(row.ref), csvText(row.note),
  ]);
}
