import { DialectMigration } from '../../../core/database/dialect-migration.js';

export class Init20261123151220 extends DialectMigration {
  readonly name = 'Init20261123151220';

  protected readonly sqlite = {
    up: [
      "CREATE TABLE \"gift_note\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"order_id\" integer NOT NULL, \"member_id\" integer NOT NULL, \"text\" varchar(500) NOT NULL, \"locked_at\" datetime)",
      "CREATE UNIQUE INDEX \"IDX_6a9a47cbf9a3a2b0aa09eed87d\" ON \"gift_note\" (\"order_id\") ",
    ],
    down: [
      "DROP INDEX \"IDX_6a9a47cbf9a3a2b0aa09eed87d\"",
      "DROP TABLE \"gift_note\"",
    ],
  };

  protected readonly mysql = {
    up: [
      "CREATE TABLE `gift_note` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `order_id` int NOT NULL, `member_id` int NOT NULL, `text` varchar(500) NOT NULL, `locked_at` datetime NULL, UNIQUE INDEX `IDX_6a9a47cbf9a3a2b0aa09eed87d` (`order_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    ],
    down: [
      "DROP INDEX `IDX_6a9a47cbf9a3a2b0aa09eed87d` ON `gift_note`",
      "DROP TABLE `gift_note`",
    ],
  };
}
