import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { MAX_LINE_QUANTITY } from '../../cart/dto/cart.dto.js';

export class OrderItemInput {
  @ApiProperty() @IsInt() @Min(1)
  variantId: number;

  @ApiProperty() @IsInt() @Min(1) @Max(MAX_LINE_QUANTITY)
  quantity: number;
}

export class CheckoutInput {
  @ApiPropertyOptional({ description: 'Required to place an order; optional for a preview' }) @IsOptional() @IsInt() @Min(1)
  addressId?: number;

  @ApiPropertyOptional({ type: [OrderItemInput], description: 'Buy these now; when absent, the selected cart lines are bought' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => OrderItemInput)
  items?: OrderItemInput[];

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200)
  note?: string;

  @ApiPropertyOptional({ description: 'Options read by pricing adjusters, e.g. { "couponCode": "NEW10" }' })
  @IsOptional() @IsObject()
  options?: Record<string, string | number | boolean>;
}

export class ShipInput {
  @ApiProperty({ example: '顺丰速运' }) @IsString() @Length(1, 32)
  carrier: string;

  @ApiProperty({ example: 'SF1234567890' }) @IsString() @Matches(/^[A-Za-z0-9-]{4,64}$/, { message: 'trackingNo must be 4-64 letters, digits or hyphens' })
  trackingNo: string;
}

export class OrderListQuery {
  @ApiPropertyOptional({ enum: ['pending_payment', 'paid', 'shipped', 'completed', 'closed', 'refunded'] })
  @IsOptional() @Matches(/^(pending_payment|paid|shipped|completed|closed|refunded)$/, { message: 'status must be one of pending_payment, paid, shipped, completed, closed, refunded' })
  status?: string;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10000)
  page?: number;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  pageSize?: number;
}

export class PayInput {
  @ApiPropertyOptional({ example: 'sandbox' }) @IsOptional() @IsString() @Matches(/^[a-z0-9-]{2,32}$/)
  provider?: string;
}

export class RefundInput {
  @ApiProperty() @IsString() @Length(1, 200)
  reason: string;
}
