export type ThemeSettingType = 'color' | 'text' | 'image' | 'boolean' | 'select';

export interface ThemeSettingSpec {
  type: ThemeSettingType;
  default: string | boolean;
  label?: string;
  options?: string[];
}

/** themes/<name>/theme.json */
export interface ThemeManifest {
  name: string;
  version: string;
  /** Parent theme folder name; the default theme has none. */
  parent?: string;
  description?: string;
  /** Settings an agency sets per installation (colours, logo, banners …). */
  settings?: Record<string, ThemeSettingSpec>;
}

/** Templates every complete theme chain must provide (the default theme does). */
export const REQUIRED_TEMPLATES = ['home', 'category', 'search', 'product', 'cart', 'checkout', 'orders', 'order', 'member', 'sign-in', 'error'] as const;
