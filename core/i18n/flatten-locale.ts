/** Locale files are nested JSON; templates look strings up by dotted key: {"cart": {"title": "…"}} → "cart.title". */
export function flattenLocale(obj: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') Object.assign(out, flattenLocale(v as Record<string, unknown>, key));
    else out[key] = String(v);
  }
  return out;
}
