/**
 * Names of Taobao's standard sale properties and of their most common standard values. Exports carry
 * only ids for standard values (a merchant's renamed values come as 销售属性别名, custom ones as
 * 自定义属性值), so without this table a colour would show up as "28320".
 */
export const STANDARD_PROPERTY_NAMES: Readonly<Record<string, string>> = {
  '1627207': '颜色', // 颜色分类
  '20509': '尺码',
  '20549': '鞋码',
};

export const STANDARD_VALUE_NAMES: Readonly<Record<string, string>> = {
  // 1627207 颜色分类
  '1627207:28320': '白色',
  '1627207:28321': '乳白色',
  '1627207:28324': '黄色',
  '1627207:28326': '红色',
  '1627207:28327': '酒红色',
  '1627207:28328': '金色',
  '1627207:28329': '紫色',
  '1627207:28330': '银色',
  '1627207:28331': '卡其色',
  '1627207:28332': '浅麻灰',
  '1627207:28334': '灰色',
  '1627207:28335': '绿色',
  '1627207:28337': '水蓝',
  '1627207:28338': '蓝色',
  '1627207:28340': '深蓝',
  '1627207:28341': '黑色',
  '1627207:28866': '藏青',
  '1627207:107121': '透明',
  '1627207:130164': '花色',
  '1627207:3232480': '粉红色',
  '1627207:3232481': '巧克力色',
  '1627207:3232484': '天蓝色',
  // 20509 尺码
  '20509:28314': 'S',
  '20509:28315': 'M',
  '20509:28316': 'L',
  '20509:28317': 'XL',
};
