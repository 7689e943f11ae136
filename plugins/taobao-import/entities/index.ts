import { TaobaoCategoryMap } from './taobao-category-map.entity.js';
import { TaobaoImportRow } from './taobao-import-row.entity.js';
import { TaobaoImport } from './taobao-import.entity.js';
import { TaobaoProductLink } from './taobao-product-link.entity.js';

export { TaobaoCategoryMap, TaobaoImport, TaobaoImportRow, TaobaoProductLink };
export const TAOBAO_IMPORT_ENTITIES = [TaobaoImport, TaobaoImportRow, TaobaoProductLink, TaobaoCategoryMap];
