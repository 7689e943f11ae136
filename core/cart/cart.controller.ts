import { Body, Controller, Delete, Get, Param, ParseIntPipe, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentMember, MemberGuard } from '../auth/member-session.js';
import { Member } from '../customer/entities/member.entity.js';
import { CartService } from './cart.service.js';
import { AddToCartInput, UpdateCartItemInput } from './dto/cart.dto.js';

@ApiTags('cart')
@Controller('api/v1/cart')
@UseGuards(MemberGuard)
export class CartController {
  constructor(private readonly cart: CartService) {}

  @Get()
  view(@CurrentMember() m: Member) {
    return this.cart.view(m.id);
  }

  @Post('items')
  add(@CurrentMember() m: Member, @Body() body: AddToCartInput) {
    return this.cart.add(m.id, body.variantId, body.quantity);
  }

  @Patch('items/:id')
  update(@CurrentMember() m: Member, @Param('id', ParseIntPipe) id: number, @Body() body: UpdateCartItemInput) {
    return this.cart.update(m.id, id, body);
  }

  @Delete('items/:id')
  remove(@CurrentMember() m: Member, @Param('id', ParseIntPipe) id: number) {
    return this.cart.remove(m.id, id);
  }
}
