import { DialectMigration } from '../../../core/database/dialect-migration.js';

export class Init20261123143848 extends DialectMigration {
  readonly name = 'Init20261123143848';

  protected readonly sqlite = {
    up: [
      "CREATE TABLE \"flash_sale_item\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"session_id\" integer NOT NULL, \"product_id\" integer NOT NULL, \"variant_id\" integer NOT NULL, \"flash_price\" integer NOT NULL, \"stock\" integer NOT NULL, \"sold\" integer NOT NULL DEFAULT (0), \"per_member_limit\" integer NOT NULL DEFAULT (1), \"sort_order\" integer NOT NULL DEFAULT (0), \"is_active\" boolean NOT NULL DEFAULT (1), \"settled\" boolean NOT NULL DEFAULT (0), \"returned_stock\" integer NOT NULL DEFAULT (0), \"gate_key\" varchar(32) NOT NULL)",
      "CREATE INDEX \"IDX_6ad3f428c8b9dc29c1f4b0a274\" ON \"flash_sale_item\" (\"variant_id\") ",
      "CREATE UNIQUE INDEX \"IDX_9c992d37aa64b43c88b5076a4c\" ON \"flash_sale_item\" (\"session_id\", \"variant_id\") ",
      "CREATE TABLE \"flash_sale_purchase\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"item_id\" integer NOT NULL, \"member_id\" integer NOT NULL, \"seq\" integer NOT NULL, \"quantity\" integer NOT NULL, \"order_id\" integer NOT NULL, \"status\" varchar(10) NOT NULL DEFAULT ('active'))",
      "CREATE INDEX \"IDX_c467962531c0ada0754bd7e289\" ON \"flash_sale_purchase\" (\"order_id\") ",
      "CREATE UNIQUE INDEX \"IDX_553b3940da5910be4784609372\" ON \"flash_sale_purchase\" (\"item_id\", \"member_id\", \"seq\") ",
      "CREATE TABLE \"flash_sale_session\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"title\" varchar(64) NOT NULL, \"kind\" varchar(8) NOT NULL, \"starts_at\" datetime NOT NULL, \"ends_at\" datetime NOT NULL, \"daily_start\" varchar(5), \"daily_minutes\" integer NOT NULL DEFAULT (0), \"payment_timeout_minutes\" integer NOT NULL, \"allow_order_discounts\" boolean NOT NULL DEFAULT (0), \"earns_commission\" boolean NOT NULL DEFAULT (1), \"is_active\" boolean NOT NULL DEFAULT (1))",
      "CREATE INDEX \"IDX_7434717e27e7b9bdf833b1600f\" ON \"flash_sale_session\" (\"is_active\", \"ends_at\") ",
    ],
    down: [
      "DROP INDEX \"IDX_7434717e27e7b9bdf833b1600f\"",
      "DROP TABLE \"flash_sale_session\"",
      "DROP INDEX \"IDX_553b3940da5910be4784609372\"",
      "DROP INDEX \"IDX_c467962531c0ada0754bd7e289\"",
      "DROP TABLE \"flash_sale_purchase\"",
      "DROP INDEX \"IDX_9c992d37aa64b43c88b5076a4c\"",
      "DROP INDEX \"IDX_6ad3f428c8b9dc29c1f4b0a274\"",
      "DROP TABLE \"flash_sale_item\"",
    ],
  };

  protected readonly mysql = {
    up: [
      "CREATE TABLE `flash_sale_item` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `session_id` int NOT NULL, `product_id` int NOT NULL, `variant_id` int NOT NULL, `flash_price` int NOT NULL, `stock` int NOT NULL, `sold` int NOT NULL DEFAULT '0', `per_member_limit` int NOT NULL DEFAULT '1', `sort_order` int NOT NULL DEFAULT '0', `is_active` tinyint NOT NULL DEFAULT 1, `settled` tinyint NOT NULL DEFAULT 0, `returned_stock` int NOT NULL DEFAULT '0', `gate_key` varchar(32) NOT NULL, INDEX `IDX_6ad3f428c8b9dc29c1f4b0a274` (`variant_id`), UNIQUE INDEX `IDX_9c992d37aa64b43c88b5076a4c` (`session_id`, `variant_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
      "CREATE TABLE `flash_sale_purchase` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `item_id` int NOT NULL, `member_id` int NOT NULL, `seq` int NOT NULL, `quantity` int NOT NULL, `order_id` int NOT NULL, `status` varchar(10) NOT NULL DEFAULT 'active', INDEX `IDX_c467962531c0ada0754bd7e289` (`order_id`), UNIQUE INDEX `IDX_553b3940da5910be4784609372` (`item_id`, `member_id`, `seq`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
      "CREATE TABLE `flash_sale_session` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `title` varchar(64) NOT NULL, `kind` varchar(8) NOT NULL, `starts_at` datetime NOT NULL, `ends_at` datetime NOT NULL, `daily_start` varchar(5) NULL, `daily_minutes` int NOT NULL DEFAULT '0', `payment_timeout_minutes` int NOT NULL, `allow_order_discounts` tinyint NOT NULL DEFAULT 0, `earns_commission` tinyint NOT NULL DEFAULT 1, `is_active` tinyint NOT NULL DEFAULT 1, INDEX `IDX_7434717e27e7b9bdf833b1600f` (`is_active`, `ends_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    ],
    down: [
      "DROP INDEX `IDX_7434717e27e7b9bdf833b1600f` ON `flash_sale_session`",
      "DROP TABLE `flash_sale_session`",
      "DROP INDEX `IDX_553b3940da5910be4784609372` ON `flash_sale_purchase`",
      "DROP INDEX `IDX_c467962531c0ada0754bd7e289` ON `flash_sale_purchase`",
      "DROP TABLE `flash_sale_purchase`",
      "DROP INDEX `IDX_9c992d37aa64b43c88b5076a4c` ON `flash_sale_item`",
      "DROP INDEX `IDX_6ad3f428c8b9dc29c1f4b0a274` ON `flash_sale_item`",
      "DROP TABLE `flash_sale_item`",
    ],
  };
}
