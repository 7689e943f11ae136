import { DialectMigration } from '../../../core/database/dialect-migration.js';

export class Init20261123141343 extends DialectMigration {
  readonly name = 'Init20261123141343';

  protected readonly sqlite = {
    up: [
      "CREATE TABLE \"coupon\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"code\" varchar(32) NOT NULL, \"name\" varchar(64) NOT NULL, \"type\" varchar(8) NOT NULL, \"amount\" integer NOT NULL DEFAULT (0), \"percent_bp\" integer NOT NULL DEFAULT (0), \"max_discount\" integer, \"min_spend\" integer NOT NULL DEFAULT (0), \"valid_from\" datetime NOT NULL, \"valid_to\" datetime NOT NULL, \"per_member_limit\" integer NOT NULL DEFAULT (1), \"total_quantity\" integer NOT NULL, \"claimed_count\" integer NOT NULL DEFAULT (0), \"used_count\" integer NOT NULL DEFAULT (0), \"is_active\" boolean NOT NULL DEFAULT (1))",
      "CREATE UNIQUE INDEX \"IDX_62d3c5b0ce63a82c48e86d904b\" ON \"coupon\" (\"code\") ",
      "CREATE INDEX \"IDX_b05d517c0b91440e06b71ef9eb\" ON \"coupon\" (\"is_active\", \"valid_to\") ",
      "CREATE TABLE \"member_coupon\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"member_id\" integer NOT NULL, \"coupon_id\" integer NOT NULL, \"claim_seq\" integer NOT NULL, \"status\" varchar(8) NOT NULL, \"order_id\" integer, \"claimed_at\" datetime NOT NULL, \"used_at\" datetime)",
      "CREATE INDEX \"IDX_a9c39a42f592156ad63e0f49a5\" ON \"member_coupon\" (\"order_id\") ",
      "CREATE INDEX \"IDX_e389d8d52ac78369e1afc62a67\" ON \"member_coupon\" (\"member_id\", \"status\") ",
      "CREATE UNIQUE INDEX \"IDX_383a33d52ba8a5271670547b22\" ON \"member_coupon\" (\"coupon_id\", \"member_id\", \"claim_seq\") ",
    ],
    down: [
      "DROP INDEX \"IDX_383a33d52ba8a5271670547b22\"",
      "DROP INDEX \"IDX_e389d8d52ac78369e1afc62a67\"",
      "DROP INDEX \"IDX_a9c39a42f592156ad63e0f49a5\"",
      "DROP TABLE \"member_coupon\"",
      "DROP INDEX \"IDX_b05d517c0b91440e06b71ef9eb\"",
      "DROP INDEX \"IDX_62d3c5b0ce63a82c48e86d904b\"",
      "DROP TABLE \"coupon\"",
    ],
  };

  protected readonly mysql = {
    up: [
      "CREATE TABLE `coupon` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `code` varchar(32) NOT NULL, `name` varchar(64) NOT NULL, `type` varchar(8) NOT NULL, `amount` int NOT NULL DEFAULT '0', `percent_bp` int NOT NULL DEFAULT '0', `max_discount` int NULL, `min_spend` int NOT NULL DEFAULT '0', `valid_from` datetime NOT NULL, `valid_to` datetime NOT NULL, `per_member_limit` int NOT NULL DEFAULT '1', `total_quantity` int NOT NULL, `claimed_count` int NOT NULL DEFAULT '0', `used_count` int NOT NULL DEFAULT '0', `is_active` tinyint NOT NULL DEFAULT 1, UNIQUE INDEX `IDX_62d3c5b0ce63a82c48e86d904b` (`code`), INDEX `IDX_b05d517c0b91440e06b71ef9eb` (`is_active`, `valid_to`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
      "CREATE TABLE `member_coupon` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `member_id` int NOT NULL, `coupon_id` int NOT NULL, `claim_seq` int NOT NULL, `status` varchar(8) NOT NULL, `order_id` int NULL, `claimed_at` datetime NOT NULL, `used_at` datetime NULL, INDEX `IDX_a9c39a42f592156ad63e0f49a5` (`order_id`), INDEX `IDX_e389d8d52ac78369e1afc62a67` (`member_id`, `status`), UNIQUE INDEX `IDX_383a33d52ba8a5271670547b22` (`coupon_id`, `member_id`, `claim_seq`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    ],
    down: [
      "DROP INDEX `IDX_383a33d52ba8a5271670547b22` ON `member_coupon`",
      "DROP INDEX `IDX_e389d8d52ac78369e1afc62a67` ON `member_coupon`",
      "DROP INDEX `IDX_a9c39a42f592156ad63e0f49a5` ON `member_coupon`",
      "DROP TABLE `member_coupon`",
      "DROP INDEX `IDX_b05d517c0b91440e06b71ef9eb` ON `coupon`",
      "DROP INDEX `IDX_62d3c5b0ce63a82c48e86d904b` ON `coupon`",
      "DROP TABLE `coupon`",
    ],
  };
}
