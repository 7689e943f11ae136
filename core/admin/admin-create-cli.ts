/**
 * npm run admin:create -- <email> <password>
 * Creates an owner admin account in the configured database (DATABASE_URL), applying pending core
 * migrations first so it also works on a fresh database. Exits 1 with a clear message on bad input
 * or when the e-mail is already taken.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../config/app-config.js';
import { DomainError } from '../common/errors.js';
import { openDataSource } from '../database/data-source.js';
import { CORE_ENTITIES } from '../database/core-entities.js';
import { MigrationRunner } from '../database/migration-runner.js';
import { coreMigrationGroups } from '../app/create-app.js';
import { AdminUsersService } from './admin-users.service.js';
import { EMAIL_PATTERN } from './dto/admin.dto.js';

const USAGE = 'Usage: npm run admin:create -- <email> <password>   (password: at least 8 characters)';

class UsageError extends Error {}

export function checkAdminArgs(args: string[]): { email: string; password: string } {
  const [email, password, ...rest] = args;
  if (!email || password === undefined || rest.length) throw new UsageError(USAGE);
  const normalized = email.trim().toLowerCase();
  if (!EMAIL_PATTERN.test(normalized) || normalized.length > 120) throw new UsageError(`"${email}" is not an e-mail address.\n${USAGE}`);
  if (password.length < 8) throw new UsageError(`The password must be at least 8 characters (got ${password.length}).\n${USAGE}`);
  if (password.length > 200) throw new UsageError('The password must be at most 200 characters.');
  return { email: normalized, password };
}

async function main(): Promise<void> {
  const { email, password } = checkAdminArgs(process.argv.slice(2));
  const config = loadConfig();
  Logger.overrideLogger(['error', 'warn']);
  let ds: DataSource | null = null;
  try {
    ds = await openDataSource(config.database, [...CORE_ENTITIES]);
    await new MigrationRunner(ds).run(coreMigrationGroups());
    const user = await new AdminUsersService(ds).create(email, password, 'owner');
    console.log(`Admin account created: ${user.email} (role: owner, id ${user.id}).\nSign in at ${config.publicUrl}/admin/login`);
  } finally {
    if (ds?.isInitialized) await ds.destroy();
  }
}

main().catch((err: unknown) => {
  if (err instanceof UsageError || err instanceof ConfigError) console.error(err.message);
  else if (err instanceof DomainError && err.code === 'email_taken') console.error(`Not created: ${err.message}. Nothing was changed.`);
  else console.error(`Could not create the admin: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
