import { DialectMigration } from '../../../core/database/dialect-migration.js';

export class Init20261123144405 extends DialectMigration {
  readonly name = 'Init20261123144405';

  protected readonly sqlite = {
    up: [
      "CREATE TABLE \"bargain_activity\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"title\" varchar(64) NOT NULL, \"product_id\" integer NOT NULL, \"variant_id\" integer NOT NULL, \"start_price\" integer NOT NULL, \"floor_price\" integer NOT NULL, \"helpers_needed\" integer NOT NULL, \"duration_minutes\" integer NOT NULL, \"starts_at\" datetime NOT NULL, \"ends_at\" datetime NOT NULL, \"max_starts_per_member\" integer NOT NULL DEFAULT (1), \"max_helps_per_day\" integer NOT NULL DEFAULT (3), \"buy_mode\" varchar(8) NOT NULL DEFAULT ('floor'), \"initiator_cut\" boolean NOT NULL DEFAULT (1), \"allow_order_discounts\" boolean NOT NULL DEFAULT (0), \"earns_commission\" boolean NOT NULL DEFAULT (1), \"is_active\" boolean NOT NULL DEFAULT (1), \"started_count\" integer NOT NULL DEFAULT (0), \"ordered_count\" integer NOT NULL DEFAULT (0))",
      "CREATE INDEX \"IDX_36881d0bf99c2eab12226cfbb9\" ON \"bargain_activity\" (\"product_id\") ",
      "CREATE INDEX \"IDX_25cfe2ba2cab5ab663feb509b4\" ON \"bargain_activity\" (\"is_active\", \"ends_at\") ",
      "CREATE TABLE \"bargain\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"activity_id\" integer NOT NULL, \"member_id\" integer NOT NULL, \"start_seq\" integer NOT NULL, \"variant_id\" integer NOT NULL, \"seed\" integer NOT NULL, \"start_price\" integer NOT NULL, \"floor_price\" integer NOT NULL, \"helpers_needed\" integer NOT NULL, \"initiator_cut\" boolean NOT NULL, \"current_price\" integer NOT NULL, \"help_count\" integer NOT NULL DEFAULT (0), \"status\" varchar(8) NOT NULL DEFAULT ('open'), \"order_id\" integer, \"expires_at\" datetime NOT NULL, \"floor_reached_at\" datetime)",
      "CREATE INDEX \"IDX_39b70459d1931d5b431b547cb3\" ON \"bargain\" (\"order_id\") ",
      "CREATE INDEX \"IDX_cf48ce2bb5648c99a70851154f\" ON \"bargain\" (\"member_id\", \"status\") ",
      "CREATE UNIQUE INDEX \"IDX_10772e792dd661ad4eea7f054e\" ON \"bargain\" (\"activity_id\", \"member_id\", \"start_seq\") ",
      "CREATE TABLE \"bargain_help\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"bargain_id\" integer NOT NULL, \"activity_id\" integer NOT NULL, \"helper_id\" integer NOT NULL, \"seq\" integer NOT NULL, \"cut_amount\" integer NOT NULL, \"price_after\" integer NOT NULL, \"helped_at\" datetime NOT NULL)",
      "CREATE INDEX \"IDX_d534064429d95b3421d2f2a75e\" ON \"bargain_help\" (\"helper_id\", \"helped_at\") ",
      "CREATE UNIQUE INDEX \"IDX_1743dbc05582dada5dd5c85f52\" ON \"bargain_help\" (\"bargain_id\", \"seq\") ",
      "CREATE UNIQUE INDEX \"IDX_3be70a1fdcea8dce0028f051e2\" ON \"bargain_help\" (\"bargain_id\", \"helper_id\") ",
    ],
    down: [
      "DROP INDEX \"IDX_3be70a1fdcea8dce0028f051e2\"",
      "DROP INDEX \"IDX_1743dbc05582dada5dd5c85f52\"",
      "DROP INDEX \"IDX_d534064429d95b3421d2f2a75e\"",
      "DROP TABLE \"bargain_help\"",
      "DROP INDEX \"IDX_10772e792dd661ad4eea7f054e\"",
      "DROP INDEX \"IDX_cf48ce2bb5648c99a70851154f\"",
      "DROP INDEX \"IDX_39b70459d1931d5b431b547cb3\"",
      "DROP TABLE \"bargain\"",
      "DROP INDEX \"IDX_25cfe2ba2cab5ab663feb509b4\"",
      "DROP INDEX \"IDX_36881d0bf99c2eab12226cfbb9\"",
      "DROP TABLE \"bargain_activity\"",
    ],
  };

  protected readonly mysql = {
    up: [
      "CREATE TABLE `bargain_activity` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `title` varchar(64) NOT NULL, `product_id` int NOT NULL, `variant_id` int NOT NULL, `start_price` int NOT NULL, `floor_price` int NOT NULL, `helpers_needed` int NOT NULL, `duration_minutes` int NOT NULL, `starts_at` datetime NOT NULL, `ends_at` datetime NOT NULL, `max_starts_per_member` int NOT NULL DEFAULT '1', `max_helps_per_day` int NOT NULL DEFAULT '3', `buy_mode` varchar(8) NOT NULL DEFAULT 'floor', `initiator_cut` tinyint NOT NULL DEFAULT 1, `allow_order_discounts` tinyint NOT NULL DEFAULT 0, `earns_commission` tinyint NOT NULL DEFAULT 1, `is_active` tinyint NOT NULL DEFAULT 1, `started_count` int NOT NULL DEFAULT '0', `ordered_count` int NOT NULL DEFAULT '0', INDEX `IDX_36881d0bf99c2eab12226cfbb9` (`product_id`), INDEX `IDX_25cfe2ba2cab5ab663feb509b4` (`is_active`, `ends_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
      "CREATE TABLE `bargain` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `activity_id` int NOT NULL, `member_id` int NOT NULL, `start_seq` int NOT NULL, `variant_id` int NOT NULL, `seed` int NOT NULL, `start_price` int NOT NULL, `floor_price` int NOT NULL, `helpers_needed` int NOT NULL, `initiator_cut` tinyint NOT NULL, `current_price` int NOT NULL, `help_count` int NOT NULL DEFAULT '0', `status` varchar(8) NOT NULL DEFAULT 'open', `order_id` int NULL, `expires_at` datetime NOT NULL, `floor_reached_at` datetime NULL, INDEX `IDX_39b70459d1931d5b431b547cb3` (`order_id`), INDEX `IDX_cf48ce2bb5648c99a70851154f` (`member_id`, `status`), UNIQUE INDEX `IDX_10772e792dd661ad4eea7f054e` (`activity_id`, `member_id`, `start_seq`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
      "CREATE TABLE `bargain_help` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `bargain_id` int NOT NULL, `activity_id` int NOT NULL, `helper_id` int NOT NULL, `seq` int NOT NULL, `cut_amount` int NOT NULL, `price_after` int NOT NULL, `helped_at` datetime NOT NULL, INDEX `IDX_d534064429d95b3421d2f2a75e` (`helper_id`, `helped_at`), UNIQUE INDEX `IDX_1743dbc05582dada5dd5c85f52` (`bargain_id`, `seq`), UNIQUE INDEX `IDX_3be70a1fdcea8dce0028f051e2` (`bargain_id`, `helper_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    ],
    down: [
      "DROP INDEX `IDX_3be70a1fdcea8dce0028f051e2` ON `bargain_help`",
      "DROP INDEX `IDX_1743dbc05582dada5dd5c85f52` ON `bargain_help`",
      "DROP INDEX `IDX_d534064429d95b3421d2f2a75e` ON `bargain_help`",
      "DROP TABLE `bargain_help`",
      "DROP INDEX `IDX_10772e792dd661ad4eea7f054e` ON `bargain`",
      "DROP INDEX `IDX_cf48ce2bb5648c99a70851154f` ON `bargain`",
      "DROP INDEX `IDX_39b70459d1931d5b431b547cb3` ON `bargain`",
      "DROP TABLE `bargain`",
      "DROP INDEX `IDX_25cfe2ba2cab5ab663feb509b4` ON `bargain_activity`",
      "DROP INDEX `IDX_36881d0bf99c2eab12226cfbb9` ON `bargain_activity`",
      "DROP TABLE `bargain_activity`",
    ],
  };
}
