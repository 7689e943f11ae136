import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';

/** The same rule as ADMIN_EMAIL in the configuration. */
export const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+$/;

export class AdminLoginInput {
  @ApiProperty({ example: 'owner@mall.local' }) @IsString() @MaxLength(120) @Matches(EMAIL_PATTERN, { message: 'email must be an e-mail address' })
  email: string;

  @ApiProperty() @IsString() @Length(1, 200)
  password: string;
}

export class AdminProductQuery {
  @ApiPropertyOptional({ description: 'Keyword in title, subtitle or SKU code; a number also matches the product id' }) @IsOptional() @IsString() @MaxLength(60)
  q?: string;

  @ApiPropertyOptional({ enum: ['all', 'listed', 'delisted'] })
  @IsOptional() @Matches(/^(all|listed|delisted)$/, { message: 'status must be one of all, listed, delisted' })
  status?: 'all' | 'listed' | 'delisted';

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  categoryId?: number;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10000)
  page?: number;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  pageSize?: number;
}

export class AdminOrderQuery {
  @ApiPropertyOptional({ enum: ['pending_payment', 'paid', 'shipped', 'completed', 'closed', 'refunded'] })
  @IsOptional() @Matches(/^(pending_payment|paid|shipped|completed|closed|refunded)$/, { message: 'status must be one of pending_payment, paid, shipped, completed, closed, refunded' })
  status?: string;

  @ApiPropertyOptional({ description: 'Order number, recipient name or phone (partial match)' }) @IsOptional() @IsString() @MaxLength(40)
  q?: string;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10000)
  page?: number;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  pageSize?: number;
}

export class ShippingTemplateInput {
  @ApiPropertyOptional({ example: '默认运费' }) @IsOptional() @IsString() @Length(1, 64)
  name?: string;

  @ApiProperty({ description: 'Fee for the first item, in fen', example: 800 }) @IsInt() @Min(0) @Max(100_000_000)
  firstItemFee: number;

  @ApiProperty({ description: 'Fee for each further item, in fen', example: 200 }) @IsInt() @Min(0) @Max(100_000_000)
  additionalItemFee: number;

  @ApiPropertyOptional({ description: 'Item subtotal in fen from which shipping is free; null = never free', nullable: true, example: 9900 })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsInt() @Min(0) @Max(100_000_000)
  freeFrom?: number | null;
}
