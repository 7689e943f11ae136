import { definePlugin } from '../../core/plugin/index.js';
import { TAOBAO_IMPORT_ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';
import { PLUGIN_ID, type TaobaoImportSettings } from './settings.js';
import { ResumeImportsJob, TaobaoImportModule } from './taobao-import.module.js';

/** 淘宝商品搬家: import a Taobao shop (Taobao Assistant export, TOP API, item-URL providers) as a background job. */
export default definePlugin<TaobaoImportSettings>({
  id: PLUGIN_ID,
  module: TaobaoImportModule,
  entities: TAOBAO_IMPORT_ENTITIES,
  migrations: MIGRATIONS,
  jobs: [ResumeImportsJob],
  adminMenu: [{ label: { 'zh-CN': '淘宝搬家', en: 'Taobao import' }, path: '/admin/taobao-import', order: 150 }],
  validateSettings(s) {
    const problems: string[] = [];
    if (/\0/.test(s.workDir)) problems.push('workDir must be a folder path');
    return problems;
  },
});
