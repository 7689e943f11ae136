import { randomBytes } from 'node:crypto';

export type DatabaseKind = 'sqlite' | 'mysql';

export interface DatabaseConfig {
  kind: DatabaseKind;
  /** SQLite file path, or a mysql:// URL. */
  url: string;
}

export interface AppConfig {
  port: number;
  host: string;
  publicUrl: string;
  database: DatabaseConfig;
  /** Signs session cookies and CSRF tokens. Must be stable across restarts and shared by all instances. */
  sessionSecret: string;
  sessionSecretGenerated: boolean;
  migrationsRun: boolean;
  seedDemo: boolean;
  adminEmail?: string;
  adminPassword?: string;
  orderPaymentTimeoutMinutes: number;
  orderAutoCompleteDays: number;
  jobsEnabled: boolean;
  defaultLocale: 'zh-CN' | 'en';
  themeName: string;
  /** Comma-separated plugin ids to enable; undefined means "use mall.config.json or none". */
  plugins?: string[];
  /** Folder holding one sub-folder per installed plugin (PLUGINS_DIR); relative paths resolve from the project root. */
  pluginsDir: string;
  configFile: string;
  logLevel: 'error' | 'warn' | 'log' | 'debug';
  sandboxEnabled: boolean;
  /** Folder served at /media (uploads, demo images); relative paths resolve from the working directory. */
  mediaDir: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}\nSee .env.example for every variable and its format.`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function parseIntVar(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) {
    problems.push(`${name}="${raw}" must be a whole number between ${min} and ${max}`);
    return fallback;
  }
  const value = Number(raw);
  if (value < min || value > max) problems.push(`${name}=${raw} must be between ${min} and ${max}`);
  return value;
}

function parseBool(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  problems.push(`${name}="${raw}" must be true or false`);
  return fallback;
}

export function parseDatabaseUrl(raw: string | undefined, problems: string[]): DatabaseConfig {
  const value = (raw ?? '').trim() || './data/mall.sqlite';
  if (/^mysql:\/\//i.test(value) || /^mariadb:\/\//i.test(value)) {
    try {
      const url = new URL(value.replace(/^mariadb:/i, 'mysql:'));
      if (!url.pathname || url.pathname === '/') problems.push(`DATABASE_URL must name a database, e.g. mysql://user:pass@host:3306/mall`);
      return { kind: 'mysql', url: url.toString() };
    } catch {
      problems.push(`DATABASE_URL="${value}" is not a valid mysql:// URL`);
      return { kind: 'mysql', url: value };
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && !/^sqlite:\/\//i.test(value) && !/^file:\/\//i.test(value)) {
    problems.push(`DATABASE_URL="${value}" must be mysql://… or a SQLite file path`);
  }
  const path = value.replace(/^(sqlite|file):\/\//i, '');
  return { kind: 'sqlite', url: path };
}

export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const port = parseIntVar(env, 'PORT', 3000, 1, 65535, problems);
  const publicUrlRaw = (env.PUBLIC_URL ?? '').trim() || `http://localhost:${port}`;
  try {
    const u = new URL(publicUrlRaw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') problems.push(`PUBLIC_URL="${publicUrlRaw}" must start with http:// or https://`);
  } catch {
    problems.push(`PUBLIC_URL="${publicUrlRaw}" is not a URL (example: https://shop.example.com)`);
  }
  let sessionSecret = (env.SESSION_SECRET ?? '').trim();
  let sessionSecretGenerated = false;
  if (!sessionSecret) {
    sessionSecret = randomBytes(32).toString('hex');
    sessionSecretGenerated = true;
  } else if (sessionSecret.length < 16) {
    problems.push('SESSION_SECRET must be at least 16 characters');
  }
  const locale = (env.DEFAULT_LOCALE ?? 'zh-CN').trim();
  if (locale !== 'zh-CN' && locale !== 'en') problems.push(`DEFAULT_LOCALE="${locale}" must be zh-CN or en`);
  const logLevel = (env.LOG_LEVEL ?? 'log').trim();
  if (!['error', 'warn', 'log', 'debug'].includes(logLevel)) problems.push(`LOG_LEVEL="${logLevel}" must be error, warn, log or debug`);
  const adminEmail = env.ADMIN_EMAIL?.trim() || undefined;
  const adminPassword = env.ADMIN_PASSWORD || undefined;
  if (adminEmail && !/^[^@\s]+@[^@\s]+$/.test(adminEmail)) problems.push(`ADMIN_EMAIL="${adminEmail}" is not an e-mail address`);
  if (adminPassword !== undefined && adminPassword.length < 8) problems.push('ADMIN_PASSWORD must be at least 8 characters');
  if ((adminEmail === undefined) !== (adminPassword === undefined)) problems.push('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  const mediaDir = (env.MEDIA_DIR ?? '').trim() || './data/media';
  if (mediaDir.includes('\0') || /^[a-z][a-z0-9+.-]*:\/\//i.test(mediaDir)) problems.push(`MEDIA_DIR="${mediaDir}" must be a folder path, e.g. ./data/media`);
  const plugins = env.PLUGINS === undefined ? undefined : env.PLUGINS.split(',').map((p) => p.trim()).filter(Boolean);

  const config: AppConfig = {
    port,
    host: (env.HOST ?? '0.0.0.0').trim(),
    publicUrl: publicUrlRaw.replace(/\/+$/, ''),
    database: parseDatabaseUrl(env.DATABASE_URL, problems),
    sessionSecret,
    sessionSecretGenerated,
    migrationsRun: parseBool(env, 'MIGRATIONS_RUN', true, problems),
    seedDemo: parseBool(env, 'SEED_DEMO', false, problems),
    adminEmail,
    adminPassword,
    orderPaymentTimeoutMinutes: parseIntVar(env, 'ORDER_PAYMENT_TIMEOUT_MINUTES', 30, 1, 10080, problems),
    orderAutoCompleteDays: parseIntVar(env, 'ORDER_AUTO_COMPLETE_DAYS', 10, 1, 365, problems),
    jobsEnabled: parseBool(env, 'JOBS_ENABLED', true, problems),
    defaultLocale: locale === 'en' ? 'en' : 'zh-CN',
    themeName: (env.THEME ?? '').trim() || 'default',
    plugins,
    pluginsDir: (env.PLUGINS_DIR ?? '').trim() || 'plugins',
    configFile: (env.MALL_CONFIG ?? '').trim() || './mall.config.json',
    logLevel: logLevel as AppConfig['logLevel'],
    sandboxEnabled: parseBool(env, 'SANDBOX', true, problems),
    mediaDir,
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
