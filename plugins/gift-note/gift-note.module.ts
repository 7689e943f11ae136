import { Body, Controller, Injectable, Module, Param, Put, UseGuards } from '@nestjs/common';
import { IsString, Length } from 'class-validator';
import { CurrentMember, MemberGuard, type DomainEvent, type EventSubscriber, type SlotContext, type SlotDataLoader } from '../../core/plugin/index.js';
import type { Member } from '../../core/customer/entities/member.entity.js';
import { GiftNoteService } from './gift-note.service.js';

class NoteInput { @IsString() @Length(1, 500) text: string }

@Controller('api/v1/gift-note')                           // REST under /api/v1/<your prefix>
export class GiftNoteController {
  constructor(private readonly notes: GiftNoteService) {}
  @Put('orders/:orderNo') @UseGuards(MemberGuard)
  save(@CurrentMember() m: Member, @Param('orderNo') orderNo: string, @Body() body: NoteInput) {
    return this.notes.save(m.id, orderNo, body.text);
  }
}

/** order.detail slot: the note of the order on the page. */
@Injectable()
export class OrderNoteLoader implements SlotDataLoader {
  constructor(private readonly notes: GiftNoteService) {}
  async load(ctx: SlotContext) {
    if (ctx.page !== 'order') return null;                  // loaders run on every page: leave early
    const order = ctx.data.order as { id: number } | undefined;
    const note = order && await this.notes.forOrder(order.id);
    return { note, prompt: (await this.notes.settings.get()).prompt };
  }
}

/** After an order ships (after commit, retried until it succeeds), the note can no longer change. */
@Injectable()
export class LockOnShip implements EventSubscriber<'order.shipped'> {
  readonly name = 'gift-note:lock-on-ship';                 // stable: deliveries are tracked under it
  readonly events = ['order.shipped'] as const;
  constructor(private readonly notes: GiftNoteService) {}
  handle(event: DomainEvent<'order.shipped'>) { return this.notes.lock(event.payload.orderId); }
}

@Module({ controllers: [GiftNoteController], providers: [GiftNoteService, OrderNoteLoader, LockOnShip] })
export class GiftNoteModule {}
