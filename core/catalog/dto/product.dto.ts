import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

const MAX_FEN = 100_000_000; // ¥1,000,000 per unit is beyond any SMB price; guards against typos in yuan vs fen

export class VariantInput {
  @ApiProperty({ example: ['红色', 'M'] })
  @IsArray() @ArrayMaxSize(3) @IsString({ each: true }) @Length(1, 32, { each: true })
  specValues: string[];

  @ApiProperty({ description: 'Price in fen', example: 9900 })
  @IsInt() @Min(1) @Max(MAX_FEN)
  price: number;

  @ApiPropertyOptional({ description: 'Struck-through price in fen' })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_FEN)
  originalPrice?: number;

  @ApiProperty({ example: 100 })
  @IsInt() @Min(0) @Max(10_000_000)
  stock: number;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64)
  skuCode?: string;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000)
  weightGrams?: number;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255)
  imageUrl?: string;
}

export class ProductInput {
  @ApiProperty() @IsString() @Length(1, 120)
  title: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200)
  subtitle?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(/^[a-z0-9][a-z0-9-]{0,118}$/, { message: 'slug may contain lowercase letters, digits and hyphens' })
  slug?: string;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1)
  categoryId?: number;

  @ApiProperty({ type: [String] }) @IsArray() @ArrayMaxSize(15) @IsString({ each: true }) @MaxLength(255, { each: true })
  images: string[];

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200_000)
  descriptionHtml?: string;

  @ApiProperty({ example: ['颜色', '尺码'] }) @IsArray() @ArrayMaxSize(3) @IsString({ each: true }) @Length(1, 16, { each: true })
  specNames: string[];

  @ApiProperty({ type: [VariantInput] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => VariantInput)
  variants: VariantInput[];

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  isListed?: boolean;

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  isFeatured?: boolean;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000)
  sortOrder?: number;
}

export class CategoryInput {
  @ApiProperty() @IsString() @Length(1, 64)
  name: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(/^[a-z0-9][a-z0-9-]{0,78}$/, { message: 'slug may contain lowercase letters, digits and hyphens' })
  slug?: string;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1)
  parentId?: number;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255)
  imageUrl?: string;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000)
  sortOrder?: number;

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  isVisible?: boolean;
}

export class ProductSearchQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(60)
  q?: string;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  categoryId?: number;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  page?: number;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  pageSize?: number;

  @ApiPropertyOptional({ enum: ['default', 'price_asc', 'price_desc', 'sales', 'newest'] })
  @IsOptional() @Matches(/^(default|price_asc|price_desc|sales|newest)$/, { message: 'sort must be one of default, price_asc, price_desc, sales, newest' })
  sort?: 'default' | 'price_asc' | 'price_desc' | 'sales' | 'newest';
}
