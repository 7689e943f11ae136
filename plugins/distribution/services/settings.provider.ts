import type { DistributionSettings } from './distribution-settings.js';

/** Where services read the merchant's current settings (validated); bound to the plugin settings store. */
export abstract class DistributionSettingsSource {
  abstract current(): DistributionSettings;
}
