import { Init20261123150511 } from './20261123150511-Init.js';
import type { MigrationClass } from '../../../core/database/migration-runner.js';

/** wechatpay migrations, oldest first. `npm run migration:generate -- <Name> --plugin wechatpay` appends here. */
export const MIGRATIONS: MigrationClass[] = [Init20261123150511];
