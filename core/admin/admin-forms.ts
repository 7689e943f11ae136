import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { parseYuan } from '../common/money.js';
import { CategoryInput, ProductInput } from '../catalog/dto/product.dto.js';
import { DomainError } from '../common/errors.js';

/** field → message; fields use the API's dotted names (variants.0.price). */
export type FieldErrors = Record<string, string>;
export type FormBody = Record<string, unknown>;
export type Translate = (key: string, vars?: Record<string, unknown>) => string;

export const MAX_VARIANT_ROWS = 200;
const VARIANT_FIELDS = ['specValues', 'price', 'originalPrice', 'stock', 'skuCode', 'weightGrams'] as const;

export interface VariantFormRow {
  specValues: string;
  price: string;
  originalPrice: string;
  stock: string;
  skuCode: string;
  weightGrams: string;
}

export interface ProductFormValues {
  title: string;
  subtitle: string;
  slug: string;
  categoryId: string;
  images: string;
  descriptionHtml: string;
  specNames: string;
  isListed: boolean;
  sortOrder: string;
  variants: VariantFormRow[];
}

/** A form field as one string (the last value when the field was repeated). */
export function field(body: FormBody | undefined, name: string): string {
  const v = body?.[name];
  const last = Array.isArray(v) ? v[v.length - 1] : v;
  return typeof last === 'string' ? last : last === undefined || last === null ? '' : String(last);
}

export function checkbox(body: FormBody | undefined, name: string): boolean {
  const v = field(body, name);
  return v === 'on' || v === '1' || v === 'true';
}

/** Splits "颜色, 尺码" or "颜色，尺码" into names. */
export function splitList(raw: string, sep: RegExp): string[] {
  return raw.split(sep).map((s) => s.trim()).filter(Boolean);
}

/** class-validator with the same rules as the API's global pipe; every failing field, first reason each. */
export async function validateAs<T extends object>(cls: new () => T, plain: object): Promise<{ value: T; errors: FieldErrors }> {
  const value = plainToInstance(cls, plain, { enableImplicitConversion: false });
  const problems = await validate(value, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
  const errors: FieldErrors = {};
  const walk = (list: ValidationError[], prefix: string) => {
    for (const e of list) {
      const name = prefix ? `${prefix}.${e.property}` : e.property;
      if (e.constraints && !errors[name]) errors[name] = Object.values(e.constraints)[0];
      if (e.children?.length) walk(e.children, name);
    }
  };
  walk(problems, '');
  return { value, errors };
}

/** A DomainError with a field becomes that field's error; without one it goes under "_form". */
export function domainErrorToFields(err: DomainError): FieldErrors {
  return { [err.field ?? '_form']: err.message };
}

export function emptyVariantRow(): VariantFormRow {
  return { specValues: '', price: '', originalPrice: '', stock: '', skuCode: '', weightGrams: '' };
}

/**
 * Reads the product form (field names `title`, `variants.0.price` …). Blank variant rows are
 * dropped and the rest renumbered, so `variants.N.*` errors point at the N-th row shown again.
 * Prices are yuan with at most two decimals, converted to fen; nothing is rounded.
 */
export async function parseProductForm(body: FormBody, t: Translate): Promise<{ values: ProductFormValues; input: ProductInput | null; errors: FieldErrors }> {
  const indexes = new Set<number>();
  for (const key of Object.keys(body ?? {})) {
    const m = /^variants\.(\d{1,4})\.(\w+)$/.exec(key);
    if (m) indexes.add(Number(m[1]));
  }
  const rows: VariantFormRow[] = [...indexes].sort((a, b) => a - b)
    .map((i) => Object.fromEntries(VARIANT_FIELDS.map((f) => [f, field(body, `variants.${i}.${f}`).trim()])) as unknown as VariantFormRow)
    .filter((r) => VARIANT_FIELDS.some((f) => r[f] !== ''));
  const values: ProductFormValues = {
    title: field(body, 'title').trim(),
    subtitle: field(body, 'subtitle').trim(),
    slug: field(body, 'slug').trim(),
    categoryId: field(body, 'categoryId').trim(),
    images: field(body, 'images'),
    descriptionHtml: field(body, 'descriptionHtml'),
    specNames: field(body, 'specNames').trim(),
    isListed: checkbox(body, 'isListed'),
    sortOrder: field(body, 'sortOrder').trim(),
    variants: rows,
  };
  const errors: FieldErrors = {};
  const specNames = splitList(values.specNames, /[,，、]/);
  if (specNames.length > 3) errors.specNames = t('errors.specNamesMax');
  if (!rows.length) errors.variants = t('errors.variantsRequired');
  if (rows.length > MAX_VARIANT_ROWS) errors.variants = t('errors.variantsMax', { max: MAX_VARIANT_ROWS });
  const fen = (name: string, raw: string, required: boolean): number | undefined => {
    if (raw === '') {
      if (required) errors[name] = t('errors.required');
      return undefined;
    }
    const v = parseYuan(raw);
    if (v === null) {
      errors[name] = t('errors.yuan', { value: raw });
      return undefined;
    }
    return v;
  };
  const int = (name: string, raw: string, required: boolean): number | undefined => {
    if (raw === '') {
      if (required) errors[name] = t('errors.required');
      return undefined;
    }
    if (!/^\d{1,9}$/.test(raw)) {
      errors[name] = t('errors.wholeNumber', { value: raw });
      return undefined;
    }
    return Number(raw);
  };
  const variants = rows.map((r, i) => {
    const specValues = splitList(r.specValues, /[/／]/);
    return {
      specValues,
      price: fen(`variants.${i}.price`, r.price, true),
      ...(r.originalPrice !== '' ? { originalPrice: fen(`variants.${i}.originalPrice`, r.originalPrice, false) } : {}),
      stock: int(`variants.${i}.stock`, r.stock, true),
      ...(r.skuCode !== '' ? { skuCode: r.skuCode } : {}),
      ...(r.weightGrams !== '' ? { weightGrams: int(`variants.${i}.weightGrams`, r.weightGrams, false) } : {}),
    };
  });
  const categoryId = values.categoryId === '' ? undefined : int('categoryId', values.categoryId, false);
  const sortOrder = values.sortOrder === '' ? undefined : int('sortOrder', values.sortOrder, false);
  const plain = {
    title: values.title,
    ...(values.subtitle ? { subtitle: values.subtitle } : {}),
    ...(values.slug ? { slug: values.slug } : {}),
    ...(categoryId !== undefined ? { categoryId } : {}),
    images: splitList(values.images, /\r?\n/),
    ...(values.descriptionHtml.trim() ? { descriptionHtml: values.descriptionHtml } : {}),
    specNames,
    variants,
    isListed: values.isListed,
    ...(sortOrder !== undefined ? { sortOrder } : {}),
  };
  const checked = await validateAs(ProductInput, plain);
  for (const [k, v] of Object.entries(checked.errors)) if (!errors[k]) errors[k] = v;
  return { values, input: Object.keys(errors).length ? null : checked.value, errors };
}

export function productFormValues(p: { title: string; subtitle: string; slug: string; categoryId: number | null; images: string[]; descriptionHtml: string; specNames: string[]; isListed: boolean; sortOrder: number; variants: Array<{ specValues: string[]; price: number; originalPrice: number | null; stock: number; skuCode: string | null; weightGrams: number }> }, yuan: (fen: number) => string): ProductFormValues {
  return {
    title: p.title, subtitle: p.subtitle, slug: p.slug, categoryId: p.categoryId ? String(p.categoryId) : '', images: p.images.join('\n'), descriptionHtml: p.descriptionHtml,
    specNames: p.specNames.join(', '), isListed: p.isListed, sortOrder: String(p.sortOrder),
    variants: p.variants.map((v) => ({
      specValues: v.specValues.join(' / '), price: yuan(v.price), originalPrice: v.originalPrice !== null ? yuan(v.originalPrice) : '', stock: String(v.stock), skuCode: v.skuCode ?? '', weightGrams: v.weightGrams ? String(v.weightGrams) : '',
    })),
  };
}

export interface CategoryFormValues {
  name: string;
  slug: string;
  parentId: string;
  sortOrder: string;
  isVisible: boolean;
  imageUrl: string;
}

export async function parseCategoryForm(body: FormBody, t: Translate): Promise<{ values: CategoryFormValues; input: CategoryInput | null; errors: FieldErrors }> {
  const values: CategoryFormValues = {
    name: field(body, 'name').trim(), slug: field(body, 'slug').trim(), parentId: field(body, 'parentId').trim(), sortOrder: field(body, 'sortOrder').trim(),
    isVisible: checkbox(body, 'isVisible'), imageUrl: field(body, 'imageUrl').trim(),
  };
  const errors: FieldErrors = {};
  const num = (name: string, raw: string): number | undefined => {
    if (raw === '') return undefined;
    if (!/^\d{1,9}$/.test(raw)) {
      errors[name] = t('errors.wholeNumber', { value: raw });
      return undefined;
    }
    return Number(raw);
  };
  const parentId = num('parentId', values.parentId);
  const sortOrder = num('sortOrder', values.sortOrder);
  if (values.imageUrl && !/^(https?:\/\/\S+|\/(?!\/)\S*)$/i.test(values.imageUrl)) errors.imageUrl = t('errors.url');
  const checked = await validateAs(CategoryInput, {
    name: values.name, ...(values.slug ? { slug: values.slug } : {}), ...(parentId ? { parentId } : {}), ...(sortOrder !== undefined ? { sortOrder } : {}),
    isVisible: values.isVisible, ...(values.imageUrl ? { imageUrl: values.imageUrl } : {}),
  });
  for (const [k, v] of Object.entries(checked.errors)) if (!errors[k]) errors[k] = v;
  return { values, input: Object.keys(errors).length ? null : checked.value, errors };
}

export interface ShippingFormValues {
  name: string;
  firstItemFee: string;
  additionalItemFee: string;
  freeFrom: string;
}

export function parseShippingForm(body: FormBody, t: Translate): { values: ShippingFormValues; input: { name: string; firstItemFee: number; additionalItemFee: number; freeFrom: number | null } | null; errors: FieldErrors } {
  const values: ShippingFormValues = { name: field(body, 'name').trim(), firstItemFee: field(body, 'firstItemFee').trim(), additionalItemFee: field(body, 'additionalItemFee').trim(), freeFrom: field(body, 'freeFrom').trim() };
  const errors: FieldErrors = {};
  const fen = (name: keyof ShippingFormValues, required: boolean): number | null => {
    const raw = values[name];
    if (raw === '') {
      if (required) errors[name] = t('errors.required');
      return null;
    }
    const v = parseYuan(raw);
    if (v === null) errors[name] = t('errors.yuan', { value: raw });
    else if (v > 100_000_000) errors[name] = t('errors.tooLarge');
    return v;
  };
  if (values.name.length > 64) errors.name = t('errors.tooLong', { max: 64 });
  const firstItemFee = fen('firstItemFee', true);
  const additionalItemFee = fen('additionalItemFee', true);
  const freeFrom = fen('freeFrom', false);
  if (Object.keys(errors).length) return { values, input: null, errors };
  return { values, input: { name: values.name, firstItemFee: firstItemFee!, additionalItemFee: additionalItemFee!, freeFrom }, errors };
}
