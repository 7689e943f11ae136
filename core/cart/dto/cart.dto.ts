import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_LINE_QUANTITY = 99;

export class AddToCartInput {
  @ApiProperty() @IsInt() @Min(1)
  variantId: number;

  @ApiProperty({ minimum: 1, maximum: MAX_LINE_QUANTITY }) @IsInt() @Min(1) @Max(MAX_LINE_QUANTITY)
  quantity: number;
}

export class UpdateCartItemInput {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_LINE_QUANTITY }) @IsOptional() @IsInt() @Min(1) @Max(MAX_LINE_QUANTITY)
  quantity?: number;

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  selected?: boolean;
}
