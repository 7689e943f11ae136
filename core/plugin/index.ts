/**
 * The public surface for plugin authors: import from here (`../../core/plugin/index.js`) rather than
 * from core internals. Everything exported here follows the plugin contract's semver (docs/plugins.md).
 *
 * To add event types, augment the original module (a re-export cannot be augmented):
 *   declare module '../../core/events/domain-events.js' { interface DomainEventMap { 'gift-note.added': { orderId: number } } }
 * To add checkout options, augment '../../core/pricing/pricing.types.js' → interface CheckoutOptions.
 */
export * from './plugin-contract.js';
export { AdminOnly } from './plugin-admin.guard.js';
export { PluginAdminPages, PluginPages } from './plugin-host.service.js';
export { PluginI18n, type PluginLocale } from './plugin-i18n.js';
export { PluginRegistry, type PluginAdminMenuItem, type PluginList, type PluginListItem } from './plugin-registry.js';

// extension point types
export type { PricingAdjuster, PricingContext, PricingLine, PricingStage, PriceAdjustment, CheckoutOptions } from '../pricing/pricing.types.js';
export type { DomainEvent, DomainEventMap, DomainEventType, EventSubscriber, TransactionalEventHook } from '../events/domain-events.js';
export type { OrderTransitionHook, TransitionRequest } from '../order/order-process.service.js';
export type { ScheduledJob } from '../jobs/job-scheduler.service.js';
export type { SlotContext } from '../theme/slot-registry.js';
export type { TxContext } from '../database/transaction.js';
export type { MigrationClass } from '../database/migration-runner.js';

// building blocks
export { DialectMigration } from '../database/dialect-migration.js';
export { BaseEntity } from '../database/base.entity.js';
export { TransactionRunner, affectedRows } from '../database/transaction.js';
export { EventBus } from '../events/event-bus.service.js';
export { DomainError, BadInputError, ConflictError, NotFoundError, ForbiddenError, UnauthorizedError } from '../common/errors.js';
export { MemberGuard, MemberSession, CurrentMember } from '../auth/member-session.js';
export { formatFen, percentOf, parseYuan, allocateProportionally } from '../common/money.js';
export { flattenLocale } from '../i18n/flatten-locale.js';
