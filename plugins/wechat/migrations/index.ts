import { Init20261123143945 } from './20261123143945-Init.js';
import type { MigrationClass } from '../../../core/database/migration-runner.js';

/** wechat migrations, oldest first. `npm run migration:generate -- <Name> --plugin wechat` appends here. */
export const MIGRATIONS: MigrationClass[] = [Init20261123143945];
