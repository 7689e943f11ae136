import { Init20261123141343 } from './20261123141343-Init.js';
import type { MigrationClass } from '../../../core/database/migration-runner.js';

/** coupons migrations, oldest first. `npm run migration:generate -- <Name> --plugin coupons` appends here. */
export const MIGRATIONS: MigrationClass[] = [Init20261123141343];
