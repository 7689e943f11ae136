import { Init20261123144405 } from './20261123144405-Init.js';
import type { MigrationClass } from '../../../core/database/migration-runner.js';

/** bargain migrations, oldest first. `npm run migration:generate -- <Name> --plugin bargain` appends here. */
export const MIGRATIONS: MigrationClass[] = [Init20261123144405];
