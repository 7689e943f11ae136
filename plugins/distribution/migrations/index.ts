import { Init20261123141311 } from './20261123141311-Init.js';
import type { MigrationClass } from '../../../core/database/migration-runner.js';

/** Distribution migrations, oldest first (npm run migration:generate -- <Name> --plugin distribution). */
export const MIGRATIONS: MigrationClass[] = [Init20261123141311];
