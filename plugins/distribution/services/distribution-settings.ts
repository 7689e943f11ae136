/** The merchant's distribution settings (the plugin's settings schema in manifest.json mirrors this). */
export interface DistributionSettings {
  /** Which commission mode new orders use: "single" (微客) or "multi" (三级, capped at 3). */
  mode: 'single' | 'multi';
  /** Multi-tier depth: 1-3. Never more than 3, whatever is configured. */
  levelsDeep: number;
  bindOn: 'first_visit' | 'first_paid_order';
  /** "new_members": only members who had no order before the referral. */
  bindWho: 'new_members' | 'anyone';
  bindingRule: 'permanent' | 'expiring' | 'last_click';
  /** For "expiring". */
  bindingDays: number;
  /** For "last_click": days during which nobody else can take the member over. */
  protectionDays: number;
  enrolment: 'open' | 'approval' | 'spend_threshold';
  /** Fen paid in completed orders before a member becomes a distributor automatically. */
  spendThreshold: number;
  /** Days after completion during which commission stays frozen. */
  refundWindowDays: number;
  /** A distributor buying for themselves (内购) earns as L1. */
  selfPurchaseEarns: boolean;
  /** Total commission on an order at most this share of what was paid for its items (basis points); 0 = no cap. */
  orderCapBp: number;
  withdrawMin: number;
  withdrawFeeBp: number;
  withdrawFeeFixed: number;
  /** Fen a distributor may request per day (China time); 0 = no limit. */
  withdrawDailyLimit: number;
  /** Products every sub-shop shows. */
  requiredProductIds: number[];
  partnerPriceEnabled: boolean;
  /** Fen per new member who binds and pays a first order; 0 = off. */
  inviteBonus: number;
  inviteBonusDailyCap: number;
}

/** The hard ceiling on chain depth: deeper is pyramid selling, refused by law and by this code. */
export const MAX_CHAIN_DEPTH = 3;

export const DEFAULT_DISTRIBUTION_SETTINGS: DistributionSettings = {
  mode: 'single', levelsDeep: 3, bindOn: 'first_visit', bindWho: 'anyone', bindingRule: 'permanent', bindingDays: 30, protectionDays: 0,
  enrolment: 'open', spendThreshold: 0, refundWindowDays: 7, selfPurchaseEarns: false, orderCapBp: 0,
  withdrawMin: 100, withdrawFeeBp: 0, withdrawFeeFixed: 0, withdrawDailyLimit: 0, requiredProductIds: [],
  partnerPriceEnabled: false, inviteBonus: 0, inviteBonusDailyCap: 10,
};

/** Problems with a settings object, each naming the setting; empty when valid. */
export function validateDistributionSettings(s: DistributionSettings): string[] {
  const problems: string[] = [];
  const intIn = (key: keyof DistributionSettings, min: number, max: number) => {
    const v = s[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) problems.push(`${key} must be a whole number from ${min} to ${max}`);
  };
  if (s.mode !== 'single' && s.mode !== 'multi') problems.push('mode must be "single" or "multi"');
  if (typeof s.levelsDeep !== 'number' || s.levelsDeep > MAX_CHAIN_DEPTH) problems.push(`levelsDeep may be at most ${MAX_CHAIN_DEPTH}: deeper commission chains are not allowed`);
  intIn('levelsDeep', 1, MAX_CHAIN_DEPTH);
  intIn('bindingDays', 1, 3650);
  intIn('protectionDays', 0, 3650);
  intIn('spendThreshold', 0, 100_000_000);
  intIn('refundWindowDays', 0, 365);
  intIn('orderCapBp', 0, 10_000);
  intIn('withdrawMin', 1, 100_000_000);
  intIn('withdrawFeeBp', 0, 10_000);
  intIn('withdrawFeeFixed', 0, 100_000_000);
  intIn('withdrawDailyLimit', 0, 1_000_000_000);
  intIn('inviteBonus', 0, 1_000_000);
  intIn('inviteBonusDailyCap', 0, 10_000);
  if (!['first_visit', 'first_paid_order'].includes(s.bindOn)) problems.push('bindOn must be "first_visit" or "first_paid_order"');
  if (!['new_members', 'anyone'].includes(s.bindWho)) problems.push('bindWho must be "new_members" or "anyone"');
  if (!['permanent', 'expiring', 'last_click'].includes(s.bindingRule)) problems.push('bindingRule must be "permanent", "expiring" or "last_click"');
  if (!['open', 'approval', 'spend_threshold'].includes(s.enrolment)) problems.push('enrolment must be "open", "approval" or "spend_threshold"');
  if (!Array.isArray(s.requiredProductIds) || !s.requiredProductIds.every((n) => Number.isSafeInteger(n) && n > 0)) problems.push('requiredProductIds must be a list of product ids');
  return problems;
}
