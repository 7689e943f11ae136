import type { TopSignMethod } from './sources/top/top-sign.js';

export const PLUGIN_ID = 'taobao-import';

/** Mirrors "settings" in manifest.json. */
export interface TaobaoImportSettings {
  workDir: string;
  maxUploadMb: number;
  listing: 'as-taobao' | 'listed' | 'unlisted';
  leaseSeconds: number;
  downloadTimeoutSeconds: number;
  topGatewayUrl: string;
  topAppKey: string;
  topAppSecret: string;
  topSession: string;
  topSignMethod: TopSignMethod;
  topPageSize: number;
  itemUrlProviderUrl: string;
  itemUrlProviderKey: string;
}
