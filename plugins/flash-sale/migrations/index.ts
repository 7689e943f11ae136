import { Init20261123143848 } from './20261123143848-Init.js';
import type { MigrationClass } from '../../../core/database/migration-runner.js';

/** flash-sale migrations, oldest first. `npm run migration:generate -- <Name> --plugin flash-sale` appends here. */
export const MIGRATIONS: MigrationClass[] = [Init20261123143848];
