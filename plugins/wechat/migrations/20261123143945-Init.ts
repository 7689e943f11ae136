import { DialectMigration } from '../../../core/database/dialect-migration.js';

export class Init20261123143945 extends DialectMigration {
  readonly name = 'Init20261123143945';

  protected readonly sqlite = {
    up: [
      "CREATE TABLE \"wechat_config\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"key\" varchar(64) NOT NULL, \"value\" text NOT NULL, \"is_secret\" boolean NOT NULL DEFAULT (0))",
      "CREATE UNIQUE INDEX \"IDX_4ac8202b19b799b5169324216c\" ON \"wechat_config\" (\"key\") ",
      "CREATE TABLE \"wechat_credential\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"name\" varchar(96) NOT NULL, \"value\" text, \"expires_at\" datetime, \"refresh_at\" datetime, \"lease_owner\" varchar(64), \"lease_until\" datetime, \"generation\" integer NOT NULL DEFAULT (0))",
      "CREATE UNIQUE INDEX \"IDX_32c2a42412db3752a5a5faca02\" ON \"wechat_credential\" (\"name\") ",
      "CREATE TABLE \"wechat_qrcode\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"app_id\" varchar(32) NOT NULL, \"scene\" varchar(64) NOT NULL, \"permanent\" boolean NOT NULL, \"ticket\" varchar(255) NOT NULL, \"url\" varchar(255) NOT NULL, \"expires_at\" datetime)",
      "CREATE UNIQUE INDEX \"IDX_1bd797b79a84693f8eb4c0c695\" ON \"wechat_qrcode\" (\"app_id\", \"scene\", \"permanent\") ",
      "CREATE TABLE \"wechat_follower\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"openid\" varchar(64) NOT NULL, \"member_id\" integer, \"subscribed\" boolean NOT NULL DEFAULT (0), \"subscribed_at\" datetime, \"unsubscribed_at\" datetime, \"scene\" varchar(64))",
      "CREATE UNIQUE INDEX \"IDX_42f3d664f8c7200f92c857026c\" ON \"wechat_follower\" (\"openid\") ",
      "CREATE INDEX \"IDX_fd98f6544a67412be45c7f1b96\" ON \"wechat_follower\" (\"member_id\") ",
      "CREATE TABLE \"wechat_inbound_message\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"dedupe_key\" varchar(160) NOT NULL, \"openid\" varchar(64) NOT NULL, \"msg_type\" varchar(32) NOT NULL, \"event\" varchar(32), \"status\" varchar(16) NOT NULL, \"reply\" text)",
      "CREATE UNIQUE INDEX \"IDX_5e3560c1cda102b77b63166f95\" ON \"wechat_inbound_message\" (\"dedupe_key\") ",
      "CREATE INDEX \"IDX_95a229ca191b5d6dbec713175d\" ON \"wechat_inbound_message\" (\"created_at\") ",
      "CREATE TABLE \"wechat_template_message\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"created_at\" datetime NOT NULL DEFAULT (datetime('now')), \"updated_at\" datetime NOT NULL DEFAULT (datetime('now')), \"event_key\" varchar(96) NOT NULL, \"kind\" varchar(32) NOT NULL, \"member_id\" integer, \"openid\" varchar(64), \"template_id\" varchar(64), \"payload\" text NOT NULL, \"status\" varchar(16) NOT NULL, \"attempts\" integer NOT NULL DEFAULT (0), \"last_error\" varchar(500), \"msgid\" varchar(32), \"sent_at\" datetime)",
      "CREATE UNIQUE INDEX \"IDX_f1030ca5e2d0d03dde3f909043\" ON \"wechat_template_message\" (\"event_key\") ",
      "CREATE INDEX \"IDX_27f7beb6e52dcb6121a54caea5\" ON \"wechat_template_message\" (\"status\", \"created_at\") ",
    ],
    down: [
      "DROP INDEX \"IDX_27f7beb6e52dcb6121a54caea5\"",
      "DROP INDEX \"IDX_f1030ca5e2d0d03dde3f909043\"",
      "DROP TABLE \"wechat_template_message\"",
      "DROP INDEX \"IDX_95a229ca191b5d6dbec713175d\"",
      "DROP INDEX \"IDX_5e3560c1cda102b77b63166f95\"",
      "DROP TABLE \"wechat_inbound_message\"",
      "DROP INDEX \"IDX_fd98f6544a67412be45c7f1b96\"",
      "DROP INDEX \"IDX_42f3d664f8c7200f92c857026c\"",
      "DROP TABLE \"wechat_follower\"",
      "DROP INDEX \"IDX_1bd797b79a84693f8eb4c0c695\"",
      "DROP TABLE \"wechat_qrcode\"",
      "DROP INDEX \"IDX_32c2a42412db3752a5a5faca02\"",
      "DROP TABLE \"wechat_credential\"",
      "DROP INDEX \"IDX_4ac8202b19b799b5169324216c\"",
      "DROP TABLE \"wechat_config\"",
    ],
  };

  protected readonly mysql = {
    up: [
      "CREATE TABLE `wechat_config` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `key` varchar(64) NOT NULL, `value` text NOT NULL, `is_secret` tinyint NOT NULL DEFAULT 0, UNIQUE INDEX `IDX_4ac8202b19b799b5169324216c` (`key`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
      "CREATE TABLE `wechat_credential` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `name` varchar(96) NOT NULL, `value` text NULL, `expires_at` datetime NULL, `refresh_at` datetime NULL, `lease_owner` varchar(64) NULL, `lease_until` datetime NULL, `generation` int NOT NULL DEFAULT '0', UNIQUE INDEX `IDX_32c2a42412db3752a5a5faca02` (`name`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
      "CREATE TABLE `wechat_qrcode` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `app_id` varchar(32) NOT NULL, `scene` varchar(64) NOT NULL, `permanent` tinyint NOT NULL, `ticket` varchar(255) NOT NULL, `url` varchar(255) NOT NULL, `expires_at` datetime NULL, UNIQUE INDEX `IDX_1bd797b79a84693f8eb4c0c695` (`app_id`, `scene`, `permanent`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
      "CREATE TABLE `wechat_follower` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `openid` varchar(64) NOT NULL, `member_id` int NULL, `subscribed` tinyint NOT NULL DEFAULT 0, `subscribed_at` datetime NULL, `unsubscribed_at` datetime NULL, `scene` varchar(64) NULL, UNIQUE INDEX `IDX_42f3d664f8c7200f92c857026c` (`openid`), INDEX `IDX_fd98f6544a67412be45c7f1b96` (`member_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
      "CREATE TABLE `wechat_inbound_message` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `dedupe_key` varchar(160) NOT NULL, `openid` varchar(64) NOT NULL, `msg_type` varchar(32) NOT NULL, `event` varchar(32) NULL, `status` varchar(16) NOT NULL, `reply` text NULL, UNIQUE INDEX `IDX_5e3560c1cda102b77b63166f95` (`dedupe_key`), INDEX `IDX_95a229ca191b5d6dbec713175d` (`created_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
      "CREATE TABLE `wechat_template_message` (`id` int NOT NULL AUTO_INCREMENT, `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `event_key` varchar(96) NOT NULL, `kind` varchar(32) NOT NULL, `member_id` int NULL, `openid` varchar(64) NULL, `template_id` varchar(64) NULL, `payload` text NOT NULL, `status` varchar(16) NOT NULL, `attempts` int NOT NULL DEFAULT '0', `last_error` varchar(500) NULL, `msgid` varchar(32) NULL, `sent_at` datetime NULL, UNIQUE INDEX `IDX_f1030ca5e2d0d03dde3f909043` (`event_key`), INDEX `IDX_27f7beb6e52dcb6121a54caea5` (`status`, `created_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    ],
    down: [
      "DROP INDEX `IDX_27f7beb6e52dcb6121a54caea5` ON `wechat_template_message`",
      "DROP INDEX `IDX_f1030ca5e2d0d03dde3f909043` ON `wechat_template_message`",
      "DROP TABLE `wechat_template_message`",
      "DROP INDEX `IDX_95a229ca191b5d6dbec713175d` ON `wechat_inbound_message`",
      "DROP INDEX `IDX_5e3560c1cda102b77b63166f95` ON `wechat_inbound_message`",
      "DROP TABLE `wechat_inbound_message`",
      "DROP INDEX `IDX_fd98f6544a67412be45c7f1b96` ON `wechat_follower`",
      "DROP INDEX `IDX_42f3d664f8c7200f92c857026c` ON `wechat_follower`",
      "DROP TABLE `wechat_follower`",
      "DROP INDEX `IDX_1bd797b79a84693f8eb4c0c695` ON `wechat_qrcode`",
      "DROP TABLE `wechat_qrcode`",
      "DROP INDEX `IDX_32c2a42412db3752a5a5faca02` ON `wechat_credential`",
      "DROP TABLE `wechat_credential`",
      "DROP INDEX `IDX_4ac8202b19b799b5169324216c` ON `wechat_config`",
      "DROP TABLE `wechat_config`",
    ],
  };
}
