import { Init20261123144616 } from './20261123144616-Init.js';
import type { MigrationClass } from '../../../core/database/migration-runner.js';

/** group-buy migrations, oldest first. `npm run migration:generate -- <Name> --plugin group-buy` appends here. */
export const MIGRATIONS: MigrationClass[] = [Init20261123144616];
