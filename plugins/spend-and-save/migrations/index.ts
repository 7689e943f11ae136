import type { MigrationClass } from '../../../core/database/migration-runner.js';

/** spend-and-save keeps no tables of its own (its settings live in the setting table). */
export const MIGRATIONS: MigrationClass[] = [];
