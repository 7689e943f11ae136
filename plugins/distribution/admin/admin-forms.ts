import { parseYuan, fenToYuanString } from '../../../core/common/money.js';
import { checkbox, field, type FieldErrors, type FormBody, type Translate } from '../../../core/admin/admin-forms.js';
import type { Rate } from '../entities/distributor-level.entity.js';
import { MAX_CHAIN_DEPTH } from '../services/distribution-settings.js';
import { MAX_FIXED_FEN, MAX_PERCENT_BP, type LevelData, type OverrideData, type PartnerPriceData } from './distribution-admin.service.js';

export { field, checkbox, type FieldErrors, type FormBody, type Translate };

/** "10.5" → 1050 basis points; at most two decimals, never rounded; null when not a percentage. */
export function parsePercent(input: string): number | null {
  const m = /^\s*(\d{1,5})(?:\.(\d{1,2}))?\s*%?\s*$/.exec(input);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** 1050 → "10.5", 1000 → "10", 5 → "0.05". */
export function formatPercent(bp: number): string {
  const whole = Math.floor(bp / 100);
  const frac = String(bp % 100).padStart(2, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** A rate as merchants read it: "10.5%" or "¥1.50/件" ("—" for nothing). */
export function rateLabel(rate: Rate | undefined | null, perUnit = '/件'): string {
  if (!rate || rate.value <= 0) return '—';
  return rate.type === 'percent' ? `${formatPercent(rate.value)}%` : `¥${fenToYuanString(rate.value)}${perUnit}`;
}

export interface RateFormRow {
  type: 'percent' | 'fixed';
  value: string;
}

export function rateFormRows(rates: Rate[] | undefined): RateFormRow[] {
  return Array.from({ length: MAX_CHAIN_DEPTH }, (_, i) => {
    const r = rates?.[i];
    if (!r) return { type: 'percent' as const, value: '' };
    return { type: r.type, value: r.type === 'percent' ? formatPercent(r.value) : fenToYuanString(r.value) };
  });
}

/**
 * Reads `<prefix>.0.type` / `<prefix>.0.value` … for the three levels. A blank value is 0 (that level
 * earns nothing). A fourth level (or any beyond the cap) in the posted form is refused.
 */
function parseRates(body: FormBody, prefix: string, errors: FieldErrors, t: Translate): { rows: RateFormRow[]; rates: Rate[] } {
  const beyond = Object.keys(body).some((k) => {
    const m = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d{1,3})\\.`).exec(k);
    return !!m && Number(m[1]) >= MAX_CHAIN_DEPTH;
  });
  if (beyond) errors[prefix] = t('dist.errors.tooManyLevels', { max: MAX_CHAIN_DEPTH });
  const rows: RateFormRow[] = [];
  const rates: Rate[] = [];
  for (let i = 0; i < MAX_CHAIN_DEPTH; i++) {
    const rawType = field(body, `${prefix}.${i}.type`);
    const type: Rate['type'] = rawType === 'fixed' ? 'fixed' : 'percent';
    const value = field(body, `${prefix}.${i}.value`).trim();
    rows.push({ type, value });
    if (rawType && rawType !== 'percent' && rawType !== 'fixed') errors[`${prefix}.${i}.type`] = t('dist.errors.rateType');
    const name = `${prefix}.${i}.value`;
    if (value === '') {
      rates.push({ type, value: 0 });
      continue;
    }
    if (type === 'percent') {
      const bp = parsePercent(value);
      if (bp === null) errors[name] = t('dist.errors.percent', { value });
      else if (bp > MAX_PERCENT_BP) errors[name] = t('dist.errors.percentMax');
      else rates.push({ type, value: bp });
    } else {
      const fen = parseYuan(value);
      if (fen === null) errors[name] = t('errors.yuan', { value });
      else if (fen > MAX_FIXED_FEN) errors[name] = t('errors.tooLarge');
      else rates.push({ type, value: fen });
    }
  }
  return { rows, rates };
}

export interface LevelFormValues {
  name: string;
  rank: string;
  rates: RateFormRow[];
  upgradeTeamSize: string;
  upgradeSales: string;
  isDefault: boolean;
}

export function levelFormValues(l: { name: string; rank: number; rates: Rate[]; upgradeTeamSize: number | null; upgradeSales: number | null; isDefault: boolean } | null): LevelFormValues {
  if (!l) return { name: '', rank: '', rates: rateFormRows(undefined), upgradeTeamSize: '', upgradeSales: '', isDefault: false };
  return {
    name: l.name, rank: String(l.rank), rates: rateFormRows(l.rates), upgradeTeamSize: l.upgradeTeamSize === null ? '' : String(l.upgradeTeamSize),
    upgradeSales: l.upgradeSales === null ? '' : fenToYuanString(l.upgradeSales), isDefault: l.isDefault,
  };
}

export function parseLevelForm(body: FormBody, t: Translate): { values: LevelFormValues; input: LevelData | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const { rows, rates } = parseRates(body, 'rates', errors, t);
  const values: LevelFormValues = {
    name: field(body, 'name').trim(), rank: field(body, 'rank').trim(), rates: rows,
    upgradeTeamSize: field(body, 'upgradeTeamSize').trim(), upgradeSales: field(body, 'upgradeSales').trim(), isDefault: checkbox(body, 'isDefault'),
  };
  if (!values.name) errors.name = t('errors.required');
  else if (values.name.length > 32) errors.name = t('errors.tooLong', { max: 32 });
  let rank = 0;
  if (values.rank === '') errors.rank = t('errors.required');
  else if (!/^\d{1,4}$/.test(values.rank)) errors.rank = t('dist.errors.rank');
  else rank = Number(values.rank);
  let upgradeTeamSize: number | null = null;
  if (values.upgradeTeamSize !== '') {
    if (!/^\d{1,7}$/.test(values.upgradeTeamSize) || Number(values.upgradeTeamSize) < 1) errors.upgradeTeamSize = t('dist.errors.teamSize');
    else upgradeTeamSize = Number(values.upgradeTeamSize);
  }
  let upgradeSales: number | null = null;
  if (values.upgradeSales !== '') {
    const fen = parseYuan(values.upgradeSales);
    if (fen === null) errors.upgradeSales = t('errors.yuan', { value: values.upgradeSales });
    else if (fen < 1) errors.upgradeSales = t('dist.errors.positiveAmount');
    else if (fen > 1_000_000_000) errors.upgradeSales = t('errors.tooLarge');
    else upgradeSales = fen;
  }
  if (Object.keys(errors).length) return { values, input: null, errors };
  return { values, input: { name: values.name, rank, rates, upgradeTeamSize, upgradeSales, isDefault: values.isDefault }, errors };
}

export interface OverrideFormRow {
  /** '' = every level. */
  levelId: string;
  label: string;
  enabled: boolean;
  rates: RateFormRow[];
}

/**
 * The product's rate overrides form: one row per scope (every level, then each level), each with an
 * "enabled" box. Returns the enabled rows as overrides, and for each override its form row, so that
 * errors from the service (`overrides.N…`) can be pointed back at the row shown.
 */
export function parseOverridesForm(body: FormBody, scopes: Array<{ levelId: number | null; label: string }>, t: Translate): { rows: OverrideFormRow[]; input: OverrideData[] | null; formIndex: number[]; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const rows: OverrideFormRow[] = [];
  const input: OverrideData[] = [];
  const formIndex: number[] = [];
  scopes.forEach((scope, k) => {
    const prefix = `overrides.${k}.rates`;
    const rowErrors: FieldErrors = {};
    const enabled = checkbox(body, `overrides.${k}.enabled`);
    const { rows: rateRows, rates } = parseRates(body, prefix, rowErrors, t);
    rows.push({ levelId: scope.levelId === null ? '' : String(scope.levelId), label: scope.label, enabled, rates: rateRows });
    if (!enabled) return; // a row that is switched off is deleted: its values do not matter
    Object.assign(errors, rowErrors);
    input.push({ levelId: scope.levelId, rates });
    formIndex.push(k);
  });
  return { rows, input: Object.keys(errors).length ? null : input, formIndex, errors };
}

/** "overrides.2.rates.0.value" from the service → the same field of the form row it came from. */
export function remapOverrideField(fieldName: string | undefined, formIndex: number[]): string {
  if (!fieldName) return '_form';
  const m = /^overrides\.(\d+)(\..*)?$/.exec(fieldName);
  if (!m) return fieldName;
  return `overrides.${formIndex[Number(m[1])] ?? m[1]}${m[2] ?? ''}`;
}

export interface PartnerPriceFormRow {
  variantId: number;
  specText: string;
  price: number;
  partnerPrice: string;
}

export function parsePartnerPricesForm(body: FormBody, variants: Array<{ id: number; specText: string; price: number }>, t: Translate): { rows: PartnerPriceFormRow[]; input: PartnerPriceData[] | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const rows: PartnerPriceFormRow[] = [];
  const input: PartnerPriceData[] = [];
  variants.forEach((v, i) => {
    const posted = field(body, `prices.${i}.variantId`);
    const raw = field(body, `prices.${i}.price`).trim();
    rows.push({ variantId: v.id, specText: v.specText, price: v.price, partnerPrice: raw });
    // the rows are those of the page; a different variant id means the product changed meanwhile
    if (posted !== String(v.id)) {
      errors._form = t('dist.errors.variantsChanged');
      return;
    }
    if (raw === '') {
      input.push({ variantId: v.id, price: null });
      return;
    }
    const fen = parseYuan(raw);
    if (fen === null) errors[`prices.${i}.price`] = t('errors.yuan', { value: raw });
    else input.push({ variantId: v.id, price: fen });
  });
  return { rows, input: Object.keys(errors).length ? null : input, errors };
}

/** "2026-11-23" (China time) → that day's start as a UTC instant; null when not a real date. */
export function cstDayStart(input: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(y, mo - 1, d);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || y < 2000 || y > 2999) return null;
  return new Date(utc - 8 * 3600_000);
}

/** Ledger date filter: from/to are China-time days, both inclusive. Errors name `from` / `to`. */
export function parseDayRange(from: string | undefined, to: string | undefined): { from?: Date; to?: Date; error?: { field: 'from' | 'to'; message: string } } {
  const out: { from?: Date; to?: Date } = {};
  if (from) {
    const d = cstDayStart(from);
    if (!d) return { error: { field: 'from', message: 'from must be a date like 2026-11-01' } };
    out.from = d;
  }
  if (to) {
    const d = cstDayStart(to);
    if (!d) return { error: { field: 'to', message: 'to must be a date like 2026-11-30' } };
    out.to = new Date(d.getTime() + 86_400_000);
  }
  if (out.from && out.to && out.from >= out.to) return { error: { field: 'to', message: 'to must not be before from' } };
  return out;
}
