import { DialectMigration } from '../../../core/database/dialect-migration.js';

export class Init20261123144304 extends DialectMigration {
  readonly name = 'Init20261123144304';

  protected readonly sqlite = {
    up: [
      "CREATE TABLE \"taobao_category_map\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"kind\" varchar(8) NOT NULL, \"taobao_id\" varchar(32) NOT NULL, \"name\" varchar(64) NOT NULL DEFAULT (''), \"category_id\" integer)",
      "CREATE UNIQUE INDEX \"IDX_e4e3efd9248f12f2ebad3be6cc\" ON \"taobao_category_map\" (\"kind\", \"taobao_id\") ",
      "CREATE TABLE \"taobao_import_row\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"import_id\" integer NOT NULL, \"row_no\" integer NOT NULL, \"num_id\" varchar(32), \"outer_id\" varchar(64), \"title\" varchar(120) NOT NULL DEFAULT (''), \"outcome\" varchar(8) NOT NULL, \"warnings\" boolean NOT NULL DEFAULT (0), \"product_id\" integer, \"message\" varchar(2000) NOT NULL DEFAULT (''))",
      "CREATE INDEX \"IDX_cbdfaf5968d074f199c23a31f8\" ON \"taobao_import_row\" (\"import_id\", \"outcome\") ",
      "CREATE UNIQUE INDEX \"IDX_86ff53011795d1e6c7bd7a8bea\" ON \"taobao_import_row\" (\"import_id\", \"row_no\") ",
      "CREATE TABLE \"taobao_import\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"source\" varchar(16) NOT NULL, \"status\" varchar(16) NOT NULL, \"label\" varchar(255) NOT NULL DEFAULT (''), \"options\" text NOT NULL, \"preview\" text, \"total\" integer, \"position\" integer NOT NULL DEFAULT (0), \"created_count\" integer NOT NULL DEFAULT (0), \"updated_count\" integer NOT NULL DEFAULT (0), \"skipped_count\" integer NOT NULL DEFAULT (0), \"failed_count\" integer NOT NULL DEFAULT (0), \"warned_count\" integer NOT NULL DEFAULT (0), \"images_done\" integer NOT NULL DEFAULT (0), \"images_failed\" integer NOT NULL DEFAULT (0), \"lease_owner\" varchar(64), \"lease_until\" datetime, \"cancel_requested\" boolean NOT NULL DEFAULT (0), \"error\" varchar(1000), \"started_at\" datetime, \"finished_at\" datetime, \"admin_id\" integer)",
      "CREATE INDEX \"IDX_ee3caef144d78b22c29afdf974\" ON \"taobao_import\" (\"status\", \"lease_until\") ",
      "CREATE TABLE \"taobao_product_link\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"product_id\" integer NOT NULL, \"num_id\" varchar(32), \"outer_id\" varchar(64), \"source\" varchar(16) NOT NULL, \"last_import_id\" integer)",
      "CREATE UNIQUE INDEX \"IDX_29ada880822ff7295d074d5085\" ON \"taobao_product_link\" (\"product_id\") ",
      "CREATE INDEX \"IDX_2cfaf8c8f782e73d4e0290ba4d\" ON \"taobao_product_link\" (\"num_id\") ",
      "CREATE INDEX \"IDX_3ee69b1a899f143ea374e7b0f3\" ON \"taobao_product_link\" (\"outer_id\") ",
    ],
    down: [
      "DROP INDEX \"IDX_3ee69b1a899f143ea374e7b0f3\"",
      "DROP INDEX \"IDX_2cfaf8c8f782e73d4e0290ba4d\"",
      "DROP INDEX \"IDX_29ada880822ff7295d074d5085\"",
      "DROP TABLE \"taobao_product_link\"",
      "DROP INDEX \"IDX_ee3caef144d78b22c29afdf974\"",
      "DROP TABLE \"taobao_import\"",
      "DROP INDEX \"IDX_86ff53011795d1e6c7bd7a8bea\"",
      "DROP INDEX \"IDX_cbdfaf5968d074f199c23a31f8\"",
      "DROP TABLE \"taobao_import_row\"",
      "DROP INDEX \"IDX_e4e3efd9248f12f2ebad3be6cc\"",
      "DROP TABLE \"taobao_category_map\"",
    ],
  };

  protected readonly mysql = {
    up: [
      "CREATE TABLE `taobao_category_map` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `kind` varchar(8) NOT NULL, `taobao_id` varchar(32) NOT NULL, `name` varchar(64) NOT NULL DEFAULT '', `category_id` int NULL, UNIQUE INDEX `IDX_e4e3efd9248f12f2ebad3be6cc` (`kind`, `taobao_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
      "CREATE TABLE `taobao_import_row` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `import_id` int NOT NULL, `row_no` int NOT NULL, `num_id` varchar(32) NULL, `outer_id` varchar(64) NULL, `title` varchar(120) NOT NULL DEFAULT '', `outcome` varchar(8) NOT NULL, `warnings` tinyint NOT NULL DEFAULT 0, `product_id` int NULL, `message` varchar(2000) NOT NULL DEFAULT '', INDEX `IDX_cbdfaf5968d074f199c23a31f8` (`import_id`, `outcome`), UNIQUE INDEX `IDX_86ff53011795d1e6c7bd7a8bea` (`import_id`, `row_no`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
      "CREATE TABLE `taobao_import` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `source` varchar(16) NOT NULL, `status` varchar(16) NOT NULL, `label` varchar(255) NOT NULL DEFAULT '', `options` text NOT NULL, `preview` text NULL, `total` int NULL, `position` int NOT NULL DEFAULT '0', `created_count` int NOT NULL DEFAULT '0', `updated_count` int NOT NULL DEFAULT '0', `skipped_count` int NOT NULL DEFAULT '0', `failed_count` int NOT NULL DEFAULT '0', `warned_count` int NOT NULL DEFAULT '0', `images_done` int NOT NULL DEFAULT '0', `images_failed` int NOT NULL DEFAULT '0', `lease_owner` varchar(64) NULL, `lease_until` datetime NULL, `cancel_requested` tinyint NOT NULL DEFAULT 0, `error` varchar(1000) NULL, `started_at` datetime NULL, `finished_at` datetime NULL, `admin_id` int NULL, INDEX `IDX_ee3caef144d78b22c29afdf974` (`status`, `lease_until`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
      "CREATE TABLE `taobao_product_link` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `product_id` int NOT NULL, `num_id` varchar(32) NULL, `outer_id` varchar(64) NULL, `source` varchar(16) NOT NULL, `last_import_id` int NULL, UNIQUE INDEX `IDX_29ada880822ff7295d074d5085` (`product_id`), INDEX `IDX_2cfaf8c8f782e73d4e0290ba4d` (`num_id`), INDEX `IDX_3ee69b1a899f143ea374e7b0f3` (`outer_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    ],
    down: [
      "DROP INDEX `IDX_3ee69b1a899f143ea374e7b0f3` ON `taobao_product_link`",
      "DROP INDEX `IDX_2cfaf8c8f782e73d4e0290ba4d` ON `taobao_product_link`",
      "DROP INDEX `IDX_29ada880822ff7295d074d5085` ON `taobao_product_link`",
      "DROP TABLE `taobao_product_link`",
      "DROP INDEX `IDX_ee3caef144d78b22c29afdf974` ON `taobao_import`",
      "DROP TABLE `taobao_import`",
      "DROP INDEX `IDX_86ff53011795d1e6c7bd7a8bea` ON `taobao_import_row`",
      "DROP INDEX `IDX_cbdfaf5968d074f199c23a31f8` ON `taobao_import_row`",
      "DROP TABLE `taobao_import_row`",
      "DROP INDEX `IDX_e4e3efd9248f12f2ebad3be6cc` ON `taobao_category_map`",
      "DROP TABLE `taobao_category_map`",
    ],
  };
}
