import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BadInputError, ConflictError, InjectPluginSettings, NotFoundError, TransactionRunner, type PluginSettings } from '../../core/plugin/index.js';
import { Order } from '../../core/order/entities/order.entity.js';
import { GiftNote } from './entities/gift-note.entity.js';

export interface GiftNoteSettings { maxLength: number; prompt: string }

@Injectable()
export class GiftNoteService {
  private readonly tx: TransactionRunner;
  constructor(@InjectDataSource() private readonly ds: DataSource,
              @InjectPluginSettings('gift-note') readonly settings: PluginSettings<GiftNoteSettings>) {
    this.tx = new TransactionRunner(ds);
  }

  async save(memberId: number, orderNo: string, text: string): Promise<GiftNote> {
    const { maxLength } = await this.settings.get();           // current admin settings, no restart
    if (!text.trim() || text.length > maxLength) throw new BadInputError('text', `1-${maxLength} characters`, 'invalid_note');
    return this.tx.run(async ({ manager }) => {
      const order = await manager.findOneBy(Order, { orderNo, memberId });
      if (!order) throw new NotFoundError('order', orderNo);
      const note = await manager.findOneBy(GiftNote, { orderId: order.id });
      if (note?.lockedAt) throw new ConflictError('note_locked', 'the order has shipped');
      if (note) { note.text = text; return manager.save(note); }
      return manager.save(manager.create(GiftNote, { orderId: order.id, memberId, text, lockedAt: null }));
    });
  }

  forOrder(orderId: number) { return this.ds.getRepository(GiftNote).findOneBy({ orderId }); }

  /** Idempotent: may run more than once for the same event. */
  async lock(orderId: number): Promise<void> {
    await this.ds.getRepository(GiftNote).createQueryBuilder().update()
      .set({ lockedAt: new Date() }).where('order_id = :orderId AND locked_at IS NULL', { orderId }).execute();
  }
}
