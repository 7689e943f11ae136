import { DialectMigration } from '../../../core/database/dialect-migration.js';

export class Init20261123144616 extends DialectMigration {
  readonly name = 'Init20261123144616';

  protected readonly sqlite = {
    up: [
      "CREATE TABLE \"group_buy_activity\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"name\" varchar(64) NOT NULL, \"product_id\" integer NOT NULL, \"team_size\" integer NOT NULL, \"team_hours\" integer NOT NULL, \"starts_at\" datetime NOT NULL, \"ends_at\" datetime NOT NULL, \"per_member_limit\" integer NOT NULL DEFAULT (1), \"virtual_success_percent\" integer, \"allow_order_discounts\" boolean NOT NULL DEFAULT (0), \"earns_commission\" boolean NOT NULL DEFAULT (1), \"is_active\" boolean NOT NULL DEFAULT (1))",
      "CREATE INDEX \"IDX_423fef67b566e16908b573255b\" ON \"group_buy_activity\" (\"product_id\", \"is_active\") ",
      "CREATE TABLE \"group_buy_item\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"activity_id\" integer NOT NULL, \"variant_id\" integer NOT NULL, \"group_price\" integer NOT NULL, \"leader_price\" integer, \"stock\" integer NOT NULL, \"stock_left\" integer NOT NULL)",
      "CREATE INDEX \"IDX_aafcb6fc18e9a9e19a78cf9840\" ON \"group_buy_item\" (\"variant_id\") ",
      "CREATE UNIQUE INDEX \"IDX_a5e5b3837455c809c8bfe744ff\" ON \"group_buy_item\" (\"activity_id\", \"variant_id\") ",
      "CREATE TABLE \"group_buy_seat\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"team_id\" integer NOT NULL, \"activity_id\" integer NOT NULL, \"member_id\" integer NOT NULL, \"order_id\" integer, \"item_id\" integer NOT NULL, \"variant_id\" integer NOT NULL, \"quantity\" integer NOT NULL, \"unit_price\" integer NOT NULL, \"is_leader\" boolean NOT NULL DEFAULT (0), \"status\" varchar(10) NOT NULL, \"paid_at\" datetime)",
      "CREATE INDEX \"IDX_2d32ec12fe4d653c7424713eb4\" ON \"group_buy_seat\" (\"order_id\") ",
      "CREATE INDEX \"IDX_1615d15541975ceb4e6c2d0fe9\" ON \"group_buy_seat\" (\"activity_id\", \"member_id\") ",
      "CREATE UNIQUE INDEX \"IDX_6ce3bbdab477bdc95ab0be0537\" ON \"group_buy_seat\" (\"team_id\", \"member_id\") ",
      "CREATE TABLE \"group_buy_team\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"activity_id\" integer NOT NULL, \"leader_member_id\" integer NOT NULL, \"team_size\" integer NOT NULL, \"seats_taken\" integer NOT NULL DEFAULT (0), \"paid_count\" integer NOT NULL DEFAULT (0), \"status\" varchar(12) NOT NULL, \"expires_at\" datetime, \"formed_at\" datetime, \"virtual\" boolean NOT NULL DEFAULT (0))",
      "CREATE INDEX \"IDX_b1d1ad9ceb5aeb6e73c5e01125\" ON \"group_buy_team\" (\"activity_id\", \"status\") ",
      "CREATE INDEX \"IDX_e78c2ead65593a8ef5b6aa929c\" ON \"group_buy_team\" (\"status\", \"expires_at\") ",
    ],
    down: [
      "DROP INDEX \"IDX_e78c2ead65593a8ef5b6aa929c\"",
      "DROP INDEX \"IDX_b1d1ad9ceb5aeb6e73c5e01125\"",
      "DROP TABLE \"group_buy_team\"",
      "DROP INDEX \"IDX_6ce3bbdab477bdc95ab0be0537\"",
      "DROP INDEX \"IDX_1615d15541975ceb4e6c2d0fe9\"",
      "DROP INDEX \"IDX_2d32ec12fe4d653c7424713eb4\"",
      "DROP TABLE \"group_buy_seat\"",
      "DROP INDEX \"IDX_a5e5b3837455c809c8bfe744ff\"",
      "DROP INDEX \"IDX_aafcb6fc18e9a9e19a78cf9840\"",
      "DROP TABLE \"group_buy_item\"",
      "DROP INDEX \"IDX_423fef67b566e16908b573255b\"",
      "DROP TABLE \"group_buy_activity\"",
    ],
  };

  protected readonly mysql = {
    up: [
      "CREATE TABLE `group_buy_activity` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `name` varchar(64) NOT NULL, `product_id` int NOT NULL, `team_size` int NOT NULL, `team_hours` int NOT NULL, `starts_at` datetime NOT NULL, `ends_at` datetime NOT NULL, `per_member_limit` int NOT NULL DEFAULT '1', `virtual_success_percent` int NULL, `allow_order_discounts` tinyint NOT NULL DEFAULT 0, `earns_commission` tinyint NOT NULL DEFAULT 1, `is_active` tinyint NOT NULL DEFAULT 1, INDEX `IDX_423fef67b566e16908b573255b` (`product_id`, `is_active`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
      "CREATE TABLE `group_buy_item` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `activity_id` int NOT NULL, `variant_id` int NOT NULL, `group_price` int NOT NULL, `leader_price` int NULL, `stock` int NOT NULL, `stock_left` int NOT NULL, INDEX `IDX_aafcb6fc18e9a9e19a78cf9840` (`variant_id`), UNIQUE INDEX `IDX_a5e5b3837455c809c8bfe744ff` (`activity_id`, `variant_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
      "CREATE TABLE `group_buy_seat` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `team_id` int NOT NULL, `activity_id` int NOT NULL, `member_id` int NOT NULL, `order_id` int NULL, `item_id` int NOT NULL, `variant_id` int NOT NULL, `quantity` int NOT NULL, `unit_price` int NOT NULL, `is_leader` tinyint NOT NULL DEFAULT 0, `status` varchar(10) NOT NULL, `paid_at` datetime NULL, INDEX `IDX_2d32ec12fe4d653c7424713eb4` (`order_id`), INDEX `IDX_1615d15541975ceb4e6c2d0fe9` (`activity_id`, `member_id`), UNIQUE INDEX `IDX_6ce3bbdab477bdc95ab0be0537` (`team_id`, `member_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
      "CREATE TABLE `group_buy_team` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `activity_id` int NOT NULL, `leader_member_id` int NOT NULL, `team_size` int NOT NULL, `seats_taken` int NOT NULL DEFAULT '0', `paid_count` int NOT NULL DEFAULT '0', `status` varchar(12) NOT NULL, `expires_at` datetime NULL, `formed_at` datetime NULL, `virtual` tinyint NOT NULL DEFAULT 0, INDEX `IDX_b1d1ad9ceb5aeb6e73c5e01125` (`activity_id`, `status`), INDEX `IDX_e78c2ead65593a8ef5b6aa929c` (`status`, `expires_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    ],
    down: [
      "DROP INDEX `IDX_e78c2ead65593a8ef5b6aa929c` ON `group_buy_team`",
      "DROP INDEX `IDX_b1d1ad9ceb5aeb6e73c5e01125` ON `group_buy_team`",
      "DROP TABLE `group_buy_team`",
      "DROP INDEX `IDX_6ce3bbdab477bdc95ab0be0537` ON `group_buy_seat`",
      "DROP INDEX `IDX_1615d15541975ceb4e6c2d0fe9` ON `group_buy_seat`",
      "DROP INDEX `IDX_2d32ec12fe4d653c7424713eb4` ON `group_buy_seat`",
      "DROP TABLE `group_buy_seat`",
      "DROP INDEX `IDX_a5e5b3837455c809c8bfe744ff` ON `group_buy_item`",
      "DROP INDEX `IDX_aafcb6fc18e9a9e19a78cf9840` ON `group_buy_item`",
      "DROP TABLE `group_buy_item`",
      "DROP INDEX `IDX_423fef67b566e16908b573255b` ON `group_buy_activity`",
      "DROP TABLE `group_buy_activity`",
    ],
  };
}
