import { Init20261123151220 } from './20261123151220-Init.js';
import type { MigrationClass } from '../../../core/database/migration-runner.js';

/** gift-note migrations, oldest first. `npm run migration:generate -- <Name> --plugin gift-note` appends here. */
export const MIGRATIONS: MigrationClass[] = [Init20261123151220];
