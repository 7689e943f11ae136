import { Initial20261123134255 } from './20261123134255-Initial.js';
import type { MigrationClass } from '../core/database/migration-runner.js';

/** Core migrations, oldest first. `npm run migration:generate` appends to this list. */
export const CORE_MIGRATIONS: MigrationClass[] = [Initial20261123134255];
