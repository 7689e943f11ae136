import { Module, type OnModuleInit } from '@nestjs/common';
import { definePlugin } from '../../core/plugin/plugin-contract.js';
import { CommissionModes } from '../distribution/services/commission-modes.js';

/** 微客: only the buyer's direct upline (L1) earns. */
@Module({})
export class SingleLevelModeModule implements OnModuleInit {
  constructor(private readonly modes: CommissionModes) {}

  onModuleInit(): void {
    this.modes.register({ id: 'single', depth: () => 1 });
  }
}

export default definePlugin({ id: 'distribution-single', module: SingleLevelModeModule });
