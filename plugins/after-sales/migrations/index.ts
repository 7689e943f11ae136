import { Init20261123150241 } from './20261123150241-Init.js';
import type { MigrationClass } from '../../../core/database/migration-runner.js';

/** after-sales migrations, oldest first. `npm run migration:generate -- <Name> --plugin after-sales` appends here. */
export const MIGRATIONS: MigrationClass[] = [Init20261123150241];
