import { DialectMigration } from '../../../core/database/dialect-migration.js';

export class Init20261123150511 extends DialectMigration {
  readonly name = 'Init20261123150511';

  protected readonly sqlite = {
    up: [
      "CREATE TABLE \"wxpay_secret\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"name\" varchar(32) NOT NULL, \"value\" text NOT NULL)",
      "CREATE UNIQUE INDEX \"IDX_e6b6ff069574849c94bb073fd8\" ON \"wxpay_secret\" (\"name\") ",
      "CREATE TABLE \"wxpay_transfer\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"out_bill_no\" varchar(32) NOT NULL, \"member_id\" integer NOT NULL, \"openid\" varchar(64) NOT NULL, \"amount\" integer NOT NULL, \"state\" varchar(20) NOT NULL, \"transfer_bill_no\" varchar(64), \"package_info\" text, \"fail_reason\" varchar(200))",
      "CREATE UNIQUE INDEX \"IDX_e191a542cb8d94d210766c2d35\" ON \"wxpay_transfer\" (\"out_bill_no\") ",
      "CREATE INDEX \"IDX_f9c64817c640e75b9f2b24afad\" ON \"wxpay_transfer\" (\"member_id\") ",
      "CREATE TABLE \"wxpay_event\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"kind\" varchar(32) NOT NULL, \"ref\" varchar(64) NOT NULL DEFAULT (''), \"outcome\" varchar(16) NOT NULL, \"detail\" varchar(255) NOT NULL DEFAULT (''))",
      "CREATE INDEX \"IDX_fa44e68b4fed50953e501e8b5a\" ON \"wxpay_event\" (\"created_at\") ",
      "CREATE TABLE \"wxpay_mismatch\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"bill_date\" varchar(10) NOT NULL, \"payment_no\" varchar(32) NOT NULL, \"kind\" varchar(32) NOT NULL, \"mall_amount\" integer, \"wechat_amount\" integer, \"detail\" varchar(255) NOT NULL DEFAULT (''))",
      "CREATE UNIQUE INDEX \"IDX_737c937fa6aca66f98ce5578c7\" ON \"wxpay_mismatch\" (\"bill_date\", \"payment_no\", \"kind\") ",
      "CREATE TABLE \"wxpay_reconcile_run\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"bill_date\" varchar(10) NOT NULL, \"source\" varchar(16) NOT NULL, \"checked\" integer NOT NULL DEFAULT (0), \"mismatches\" integer NOT NULL DEFAULT (0))",
      "CREATE UNIQUE INDEX \"IDX_e75dcaf81539c25ea75e4f26c2\" ON \"wxpay_reconcile_run\" (\"bill_date\") ",
    ],
    down: [
      "DROP INDEX \"IDX_e75dcaf81539c25ea75e4f26c2\"",
      "DROP TABLE \"wxpay_reconcile_run\"",
      "DROP INDEX \"IDX_737c937fa6aca66f98ce5578c7\"",
      "DROP TABLE \"wxpay_mismatch\"",
      "DROP INDEX \"IDX_fa44e68b4fed50953e501e8b5a\"",
      "DROP TABLE \"wxpay_event\"",
      "DROP INDEX \"IDX_f9c64817c640e75b9f2b24afad\"",
      "DROP INDEX \"IDX_e191a542cb8d94d210766c2d35\"",
      "DROP TABLE \"wxpay_transfer\"",
      "DROP INDEX \"IDX_e6b6ff069574849c94bb073fd8\"",
      "DROP TABLE \"wxpay_secret\"",
    ],
  };

  protected readonly mysql = {
    up: [
      "CREATE TABLE `wxpay_secret` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `name` varchar(32) NOT NULL, `value` text NOT NULL, UNIQUE INDEX `IDX_e6b6ff069574849c94bb073fd8` (`name`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
      "CREATE TABLE `wxpay_transfer` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `out_bill_no` varchar(32) NOT NULL, `member_id` int NOT NULL, `openid` varchar(64) NOT NULL, `amount` int NOT NULL, `state` varchar(20) NOT NULL, `transfer_bill_no` varchar(64) NULL, `package_info` text NULL, `fail_reason` varchar(200) NULL, UNIQUE INDEX `IDX_e191a542cb8d94d210766c2d35` (`out_bill_no`), INDEX `IDX_f9c64817c640e75b9f2b24afad` (`member_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
      "CREATE TABLE `wxpay_event` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `kind` varchar(32) NOT NULL, `ref` varchar(64) NOT NULL DEFAULT '', `outcome` varchar(16) NOT NULL, `detail` varchar(255) NOT NULL DEFAULT '', INDEX `IDX_fa44e68b4fed50953e501e8b5a` (`created_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
      "CREATE TABLE `wxpay_mismatch` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `bill_date` varchar(10) NOT NULL, `payment_no` varchar(32) NOT NULL, `kind` varchar(32) NOT NULL, `mall_amount` int NULL, `wechat_amount` int NULL, `detail` varchar(255) NOT NULL DEFAULT '', UNIQUE INDEX `IDX_737c937fa6aca66f98ce5578c7` (`bill_date`, `payment_no`, `kind`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
      "CREATE TABLE `wxpay_reconcile_run` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `bill_date` varchar(10) NOT NULL, `source` varchar(16) NOT NULL, `checked` int NOT NULL DEFAULT '0', `mismatches` int NOT NULL DEFAULT '0', UNIQUE INDEX `IDX_e75dcaf81539c25ea75e4f26c2` (`bill_date`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    ],
    down: [
      "DROP INDEX `IDX_e75dcaf81539c25ea75e4f26c2` ON `wxpay_reconcile_run`",
      "DROP TABLE `wxpay_reconcile_run`",
      "DROP INDEX `IDX_737c937fa6aca66f98ce5578c7` ON `wxpay_mismatch`",
      "DROP TABLE `wxpay_mismatch`",
      "DROP INDEX `IDX_fa44e68b4fed50953e501e8b5a` ON `wxpay_event`",
      "DROP TABLE `wxpay_event`",
      "DROP INDEX `IDX_f9c64817c640e75b9f2b24afad` ON `wxpay_transfer`",
      "DROP INDEX `IDX_e191a542cb8d94d210766c2d35` ON `wxpay_transfer`",
      "DROP TABLE `wxpay_transfer`",
      "DROP INDEX `IDX_e6b6ff069574849c94bb073fd8` ON `wxpay_secret`",
      "DROP TABLE `wxpay_secret`",
    ],
  };
}
