import { definePlugin } from '../../core/plugin/index.js';
import { GiftNoteModule, LockOnShip, OrderNoteLoader } from './gift-note.module.js';
import type { GiftNoteSettings } from './gift-note.service.js';
import { GiftNote } from './entities/gift-note.entity.js';
import { MIGRATIONS } from './migrations/index.js';

export default definePlugin<GiftNoteSettings>({
  id: 'gift-note',
  module: GiftNoteModule,
  entities: [GiftNote],
  migrations: MIGRATIONS,
  subscribers: [LockOnShip],
  slots: [{ slot: 'order.detail', template: 'order-note.hbs', loader: OrderNoteLoader }],
  validateSettings: (s) => (s.prompt.length > s.maxLength ? ['prompt must not be longer than maxLength'] : []),
});
