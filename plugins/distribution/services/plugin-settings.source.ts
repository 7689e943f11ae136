import { Injectable } from '@nestjs/common';
import { InjectPluginSettings, type PluginSettings } from '../../../core/plugin/plugin-contract.js';
import type { DistributionSettings } from './distribution-settings.js';
import { DistributionSettingsSource } from './settings.provider.js';

/** Reads the merchant's settings through the plugin host (validated; admin changes apply without restart). */
@Injectable()
export class PluginSettingsSource extends DistributionSettingsSource {
  constructor(@InjectPluginSettings('distribution') private readonly settings: PluginSettings<DistributionSettings>) {
    super();
  }

  current(): DistributionSettings {
    return this.settings.current();
  }
}
