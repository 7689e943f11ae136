import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';

export class ApplyInput {
  @ApiPropertyOptional({ example: '小王的好物店' }) @IsOptional() @IsString() @Length(1, 40)
  shopName?: string;
}

export class BindInput {
  @ApiProperty({ example: 'K7P2M9QX' }) @IsString() @Matches(/^[A-Za-z0-9]{4,16}$/, { message: 'code must be 4-16 letters or digits' })
  code: string;
}

export class ShopInput {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 40)
  shopName?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) @Matches(/^(\/(?!\/)|https:\/\/)/, { message: 'shopAvatarUrl must be a site path or an https URL' })
  shopAvatarUrl?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) @Matches(/^(\/(?!\/)|https:\/\/)/, { message: 'shopBannerUrl must be a site path or an https URL' })
  shopBannerUrl?: string;
}

export class PickInput {
  @ApiProperty() @IsInt() @Min(1)
  productId: number;
}

export class WithdrawInput {
  @ApiProperty({ description: 'Fen to withdraw', example: 5000 }) @IsInt() @Min(1) @Max(1_000_000_000)
  amount: number;
}

export class PageQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10000)
  page?: number;
}

export class TeamQuery extends PageQuery {
  @ApiPropertyOptional({ enum: [1, 2, 3] }) @IsOptional() @Type(() => Number) @IsIn([1, 2, 3])
  level?: 1 | 2 | 3;
}
