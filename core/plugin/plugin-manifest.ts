import type { JsonValue, LocalizedText, PluginManifest, PluginSettingSpec, PluginSettingsSchema, PluginSettingsValues } from './plugin-contract.js';
import { isValidRange, parseVersion } from './semver.js';

export const PLUGIN_ID = /^[a-z][a-z0-9-]{1,39}$/;
const SETTING_KEY = /^[a-zA-Z][a-zA-Z0-9_]{0,63}$/;
const TYPES = ['string', 'integer', 'boolean', 'enum', 'money', 'json'];
/** Largest money value a setting may hold: the int column limit of order amounts. */
export const MAX_SETTING_FEN = 2_147_483_647;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isLocalized(v: unknown): v is LocalizedText {
  return isObject(v) && typeof v['zh-CN'] === 'string' && v['zh-CN'].trim() !== '' && typeof v.en === 'string' && v.en.trim() !== '';
}

/** "coupons" or "coupons@^1.0.0" → id and range ('*' when none). */
export function parseDependency(entry: string): { id: string; range: string } {
  const at = entry.indexOf('@');
  return at < 0 ? { id: entry.trim(), range: '*' } : { id: entry.slice(0, at).trim(), range: entry.slice(at + 1).trim() || '*' };
}

/** Problems with a parsed manifest.json, each a sentence naming the field; empty when valid. */
export function manifestProblems(raw: unknown, folderName: string): string[] {
  if (!isObject(raw)) return ['the manifest must be a JSON object'];
  const p: string[] = [];
  const m = raw as Partial<PluginManifest> & Record<string, unknown>;
  if (typeof m.id !== 'string' || !PLUGIN_ID.test(m.id)) p.push('"id" must be 2-40 lowercase letters, digits or hyphens, starting with a letter');
  else if (m.id !== folderName) p.push(`"id" is "${m.id}" but the folder is "${folderName}": they must be the same`);
  if (!isLocalized(m.name)) p.push('"name" must be {"zh-CN": "…", "en": "…"}');
  if (m.description !== undefined && !isLocalized(m.description)) p.push('"description" must be {"zh-CN": "…", "en": "…"}');
  if (typeof m.version !== 'string' || !parseVersion(m.version)) p.push('"version" must be a semver version such as "1.0.0"');
  if (typeof m.core !== 'string' || !isValidRange(m.core)) p.push('"core" must be a semver range of supported core versions, such as "^0.1.0"');
  if (m.dependsOn !== undefined) {
    if (!Array.isArray(m.dependsOn)) p.push('"dependsOn" must be a list such as ["coupons", "spend-and-save@^1.0.0"]');
    else {
      for (const d of m.dependsOn) {
        if (typeof d !== 'string') {
          p.push('"dependsOn" entries must be strings such as "coupons@^1.0.0"');
          continue;
        }
        const { id, range } = parseDependency(d);
        if (!PLUGIN_ID.test(id)) p.push(`"dependsOn" entry "${d}" does not name a plugin id`);
        else if (!isValidRange(range)) p.push(`"dependsOn" entry "${d}" has an invalid version range`);
        else if (id === m.id) p.push('a plugin cannot depend on itself');
      }
    }
  }
  if (m.settings !== undefined) {
    if (!isObject(m.settings)) p.push('"settings" must be an object of setting specs');
    else for (const [key, spec] of Object.entries(m.settings)) p.push(...specProblems(key, spec));
  }
  return p;
}

function specProblems(key: string, raw: unknown): string[] {
  const where = `settings.${key}`;
  if (!SETTING_KEY.test(key)) return [`${where}: setting keys are letters, digits and _ (starting with a letter)`];
  if (!isObject(raw)) return [`${where} must be an object with type, default and label`];
  const spec = raw as Partial<PluginSettingSpec>;
  const p: string[] = [];
  if (typeof spec.type !== 'string' || !TYPES.includes(spec.type)) return [`${where}.type must be one of ${TYPES.join(', ')}`];
  if (!isLocalized(spec.label)) p.push(`${where}.label must be {"zh-CN": "…", "en": "…"}`);
  if (spec.help !== undefined && !isLocalized(spec.help)) p.push(`${where}.help must be {"zh-CN": "…", "en": "…"}`);
  for (const k of ['min', 'max'] as const) if (spec[k] !== undefined && !Number.isSafeInteger(spec[k])) p.push(`${where}.${k} must be a whole number`);
  if (spec.pattern !== undefined) {
    try {
      new RegExp(spec.pattern);
    } catch {
      p.push(`${where}.pattern is not a valid regular expression`);
    }
  }
  if (spec.type === 'enum') {
    if (!Array.isArray(spec.options) || !spec.options.length || !spec.options.every((o) => isObject(o) && typeof o.value === 'string' && isLocalized(o.label))) {
      p.push(`${where}.options must list {"value": "…", "label": {"zh-CN": "…", "en": "…"}} entries`);
    }
  }
  if (!('default' in spec)) p.push(`${where}.default is required`);
  else if (!p.length) {
    const problem = settingValueProblem(spec as PluginSettingSpec, spec.default as JsonValue);
    if (problem) p.push(`${where}.default ${problem}`);
  }
  return p;
}

/** Why `value` does not fit `spec` (a phrase such as "must be a whole number"), or null when it fits. */
export function settingValueProblem(spec: PluginSettingSpec, value: JsonValue | undefined): string | null {
  switch (spec.type) {
    case 'string': {
      if (typeof value !== 'string') return 'must be text';
      if (spec.min !== undefined && value.length < spec.min) return `must be at least ${spec.min} characters`;
      if (spec.max !== undefined && value.length > spec.max) return `must be at most ${spec.max} characters`;
      if (spec.pattern !== undefined && !new RegExp(spec.pattern).test(value)) return `must match ${spec.pattern}`;
      return null;
    }
    case 'integer':
    case 'money': {
      const unit = spec.type === 'money' ? ' fen' : '';
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return spec.type === 'money' ? 'must be a whole number of fen' : 'must be a whole number';
      if (spec.type === 'money' && (value < 0 || value > MAX_SETTING_FEN)) return `must be between 0 and ${MAX_SETTING_FEN} fen`;
      if (spec.min !== undefined && value < spec.min) return `must be at least ${spec.min}${unit}`;
      if (spec.max !== undefined && value > spec.max) return `must be at most ${spec.max}${unit}`;
      return null;
    }
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'enum': {
      const allowed = (spec.options ?? []).map((o) => o.value);
      return typeof value === 'string' && allowed.includes(value) ? null : `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`;
    }
    case 'json':
      return value === undefined ? 'is required' : null;
  }
}

/**
 * Effective settings: defaults ← saved in the admin (database) ← mall.config.json. Keys unknown to
 * the schema are dropped from the database layer (left over from an older version) and reported for
 * the file (a typo there should not pass silently).
 */
export function mergeSettings(
  schema: PluginSettingsSchema,
  fromDatabase: Record<string, JsonValue> | undefined,
  fromFile: Record<string, JsonValue> | undefined,
): { values: PluginSettingsValues; problems: string[] } {
  const values: PluginSettingsValues = {};
  const problems: string[] = [];
  for (const [key, spec] of Object.entries(schema)) values[key] = structuredClone(spec.default);
  for (const [key, value] of Object.entries(fromDatabase ?? {})) if (key in schema) values[key] = value;
  for (const [key, value] of Object.entries(fromFile ?? {})) {
    if (key in schema) values[key] = value;
    else problems.push(`mall.config.json sets "${key}", which is not a setting of this plugin (known: ${Object.keys(schema).join(', ') || 'none'})`);
  }
  return { values, problems };
}

/** Schema problems of a whole settings object, each naming the setting. */
export function settingsProblems(schema: PluginSettingsSchema, values: PluginSettingsValues): string[] {
  const problems: string[] = [];
  for (const [key, spec] of Object.entries(schema)) {
    const problem = settingValueProblem(spec, values[key]);
    if (problem) problems.push(`${key} ${problem} (got ${JSON.stringify(values[key]) ?? 'nothing'})`);
  }
  return problems;
}
