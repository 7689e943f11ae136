/**
 * npm run migration:run — applies pending migrations of core and of every enabled plugin, then exits.
 * It boots the app the same way `npm start` does (so plugin loading and ordering are identical)
 * with jobs off, and prints what it did.
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config/app-config.js';
import { createApp } from '../app/create-app.js';
import { MigrationRunner } from './migration-runner.js';

async function main(): Promise<void> {
  const config = loadConfig();
  config.migrationsRun = true;
  config.jobsEnabled = false;
  const { app, dataSource, createdOwner } = await createApp({ config, logger: ['error', 'warn', 'log'] });
  const applied = await new MigrationRunner(dataSource).appliedNames();
  console.log(`Schema is up to date (${applied.length} migrations recorded: ${[...new Set(applied.map((a) => a.group))].join(', ')}).`);
  if (createdOwner?.password) console.log(`Owner account created: ${createdOwner.email} / ${createdOwner.password} (shown once)`);
  await app.close();
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err instanceof Error ? err.message : err);
  process.exit(1);
});
