import { DialectMigration } from '../../../core/database/dialect-migration.js';

export class Init20261123150241 extends DialectMigration {
  readonly name = 'Init20261123150241';

  protected readonly sqlite = {
    up: [
      "CREATE TABLE \"as_request_event\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"request_id\" integer NOT NULL, \"status\" varchar(16) NOT NULL, \"actor\" varchar(40) NOT NULL, \"note\" varchar(500) NOT NULL DEFAULT (''))",
      "CREATE INDEX \"IDX_67b31da14a94f1c956aa894419\" ON \"as_request_event\" (\"request_id\") ",
      "CREATE TABLE \"as_request_line\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"request_id\" integer NOT NULL, \"order_line_id\" integer NOT NULL, \"open_line_id\" integer, \"amount\" integer NOT NULL, \"quantity\" integer NOT NULL, \"title\" varchar(120) NOT NULL)",
      "CREATE INDEX \"IDX_129427fb48129b4df0bcc922f3\" ON \"as_request_line\" (\"request_id\") ",
      "CREATE UNIQUE INDEX \"IDX_f11c51a34cd9c535c8351901c9\" ON \"as_request_line\" (\"open_line_id\") ",
      "CREATE TABLE \"as_request\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"request_no\" varchar(32) NOT NULL, \"order_id\" integer NOT NULL, \"order_no\" varchar(32) NOT NULL, \"member_id\" integer NOT NULL, \"type\" varchar(20) NOT NULL, \"status\" varchar(16) NOT NULL, \"reason_code\" varchar(32) NOT NULL, \"reason_text\" varchar(500) NOT NULL DEFAULT (''), \"photos\" text NOT NULL, \"amount\" integer NOT NULL, \"reject_reason\" varchar(200), \"refund_no\" varchar(32), \"return_carrier\" varchar(32), \"return_tracking_no\" varchar(64), \"due_at\" datetime, \"closed_at\" datetime)",
      "CREATE UNIQUE INDEX \"IDX_09f576ae86d21ed5f70d363b51\" ON \"as_request\" (\"request_no\") ",
      "CREATE INDEX \"IDX_f692d43f8ec525161123512ce3\" ON \"as_request\" (\"order_id\") ",
      "CREATE INDEX \"IDX_385d12e5c12e1efd951eecf1c9\" ON \"as_request\" (\"member_id\", \"id\") ",
      "CREATE INDEX \"IDX_f248f011ad34229344472b5a44\" ON \"as_request\" (\"status\", \"due_at\") ",
    ],
    down: [
      "DROP INDEX \"IDX_f248f011ad34229344472b5a44\"",
      "DROP INDEX \"IDX_385d12e5c12e1efd951eecf1c9\"",
      "DROP INDEX \"IDX_f692d43f8ec525161123512ce3\"",
      "DROP INDEX \"IDX_09f576ae86d21ed5f70d363b51\"",
      "DROP TABLE \"as_request\"",
      "DROP INDEX \"IDX_f11c51a34cd9c535c8351901c9\"",
      "DROP INDEX \"IDX_129427fb48129b4df0bcc922f3\"",
      "DROP TABLE \"as_request_line\"",
      "DROP INDEX \"IDX_67b31da14a94f1c956aa894419\"",
      "DROP TABLE \"as_request_event\"",
    ],
  };

  protected readonly mysql = {
    up: [
      "CREATE TABLE `as_request_event` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `request_id` int NOT NULL, `status` varchar(16) NOT NULL, `actor` varchar(40) NOT NULL, `note` varchar(500) NOT NULL DEFAULT '', INDEX `IDX_67b31da14a94f1c956aa894419` (`request_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
      "CREATE TABLE `as_request_line` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `request_id` int NOT NULL, `order_line_id` int NOT NULL, `open_line_id` int NULL, `amount` int NOT NULL, `quantity` int NOT NULL, `title` varchar(120) NOT NULL, INDEX `IDX_129427fb48129b4df0bcc922f3` (`request_id`), UNIQUE INDEX `IDX_f11c51a34cd9c535c8351901c9` (`open_line_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
      "CREATE TABLE `as_request` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `request_no` varchar(32) NOT NULL, `order_id` int NOT NULL, `order_no` varchar(32) NOT NULL, `member_id` int NOT NULL, `type` varchar(20) NOT NULL, `status` varchar(16) NOT NULL, `reason_code` varchar(32) NOT NULL, `reason_text` varchar(500) NOT NULL DEFAULT '', `photos` text NOT NULL, `amount` int NOT NULL, `reject_reason` varchar(200) NULL, `refund_no` varchar(32) NULL, `return_carrier` varchar(32) NULL, `return_tracking_no` varchar(64) NULL, `due_at` datetime NULL, `closed_at` datetime NULL, UNIQUE INDEX `IDX_09f576ae86d21ed5f70d363b51` (`request_no`), INDEX `IDX_f692d43f8ec525161123512ce3` (`order_id`), INDEX `IDX_385d12e5c12e1efd951eecf1c9` (`member_id`, `id`), INDEX `IDX_f248f011ad34229344472b5a44` (`status`, `due_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    ],
    down: [
      "DROP INDEX `IDX_f248f011ad34229344472b5a44` ON `as_request`",
      "DROP INDEX `IDX_385d12e5c12e1efd951eecf1c9` ON `as_request`",
      "DROP INDEX `IDX_f692d43f8ec525161123512ce3` ON `as_request`",
      "DROP INDEX `IDX_09f576ae86d21ed5f70d363b51` ON `as_request`",
      "DROP TABLE `as_request`",
      "DROP INDEX `IDX_f11c51a34cd9c535c8351901c9` ON `as_request_line`",
      "DROP INDEX `IDX_129427fb48129b4df0bcc922f3` ON `as_request_line`",
      "DROP TABLE `as_request_line`",
      "DROP INDEX `IDX_67b31da14a94f1c956aa894419` ON `as_request_event`",
      "DROP TABLE `as_request_event`",
    ],
  };
}
