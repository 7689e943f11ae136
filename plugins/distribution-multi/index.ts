import { Module, type OnModuleInit } from '@nestjs/common';
import { definePlugin } from '../../core/plugin/plugin-contract.js';
import { CommissionModes } from '../distribution/services/commission-modes.js';
import { MAX_CHAIN_DEPTH } from '../distribution/services/distribution-settings.js';

/** 三级分销: the configured number of uplines earn, never more than three (the engine caps it again). */
@Module({})
export class MultiTierModeModule implements OnModuleInit {
  constructor(private readonly modes: CommissionModes) {}

  onModuleInit(): void {
    this.modes.register({ id: 'multi', depth: (s) => Math.min(s.levelsDeep, MAX_CHAIN_DEPTH) });
  }
}

export default definePlugin({ id: 'distribution-multi', module: MultiTierModeModule });
