import { Injectable } from '@nestjs/common';
import { MAX_CHAIN_DEPTH, type DistributionSettings } from './distribution-settings.js';

/**
 * A commission mode decides how many uplines of the buyer earn. The mode plugins
 * (distribution-single, distribution-multi) register one each; the merchant's `mode` setting picks.
 */
export interface CommissionMode {
  readonly id: 'single' | 'multi';
  /** 1 for single-level referral; 1-3 for multi-tier. Capped at 3 by the engine regardless. */
  depth(settings: DistributionSettings): number;
}

@Injectable()
export class CommissionModes {
  private readonly modes = new Map<string, CommissionMode>();

  register(mode: CommissionMode): void {
    this.modes.set(mode.id, mode);
  }

  ids(): string[] {
    return [...this.modes.keys()];
  }

  /** The depth for a mode id; an unregistered mode pays nobody (and start-up refuses to select one). */
  depthOf(modeId: string, settings: DistributionSettings): number {
    const mode = this.modes.get(modeId);
    return mode ? Math.max(0, Math.min(mode.depth(settings), MAX_CHAIN_DEPTH)) : 0;
  }

  has(modeId: string): boolean {
    return this.modes.has(modeId);
  }
}
