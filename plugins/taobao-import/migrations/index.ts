import { Init20261123144304 } from './20261123144304-Init.js';
import type { MigrationClass } from '../../../core/database/migration-runner.js';

/** taobao-import migrations, oldest first. `npm run migration:generate -- <Name> --plugin taobao-import` appends here. */
export const MIGRATIONS: MigrationClass[] = [Init20261123144304];
