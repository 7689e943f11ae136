import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { DISTRIBUTOR_STATUSES, LEDGER_KINDS, WITHDRAWAL_STATUSES } from '../services/admin-queries.service.js';
import { MAX_CHAIN_DEPTH } from '../services/distribution-settings.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class AdminPageQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10000)
  page?: number;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  pageSize?: number;
}

export class DistributorListQuery extends AdminPageQuery {
  @ApiPropertyOptional({ description: 'Shop name, referral code, nickname (partial) or member id' }) @IsOptional() @IsString() @MaxLength(40)
  q?: string;

  @ApiPropertyOptional({ enum: DISTRIBUTOR_STATUSES }) @IsOptional() @IsIn(DISTRIBUTOR_STATUSES)
  status?: (typeof DISTRIBUTOR_STATUSES)[number];

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  levelId?: number;
}

export class ProductListQuery extends AdminPageQuery {
  @ApiPropertyOptional({ description: 'Title (partial) or product id' }) @IsOptional() @IsString() @MaxLength(60)
  q?: string;
}

export class WithdrawalListQuery extends AdminPageQuery {
  @ApiPropertyOptional({ enum: WITHDRAWAL_STATUSES }) @IsOptional() @IsIn(WITHDRAWAL_STATUSES)
  status?: (typeof WITHDRAWAL_STATUSES)[number];

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  memberId?: number;
}

export class LedgerQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  memberId?: number;

  @ApiPropertyOptional({ enum: LEDGER_KINDS }) @IsOptional() @IsIn(LEDGER_KINDS)
  kind?: string;

  @ApiPropertyOptional({ description: 'First day, China time (YYYY-MM-DD), inclusive' }) @IsOptional() @Matches(DATE, { message: 'from must be a date like 2026-11-01' })
  from?: string;

  @ApiPropertyOptional({ description: 'Last day, China time (YYYY-MM-DD), inclusive' }) @IsOptional() @Matches(DATE, { message: 'to must be a date like 2026-11-30' })
  to?: string;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10000)
  page?: number;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  pageSize?: number;
}

export class ReasonInput {
  @ApiProperty({ example: '资料不完整' }) @IsString() @Length(1, 200)
  reason: string;
}

export class SetLevelInput {
  @ApiProperty() @IsInt() @Min(1)
  levelId: number;
}

export class ApproveWithdrawalInput {
  @ApiPropertyOptional({ description: '"offline" (default) or a registered payout provider id', example: 'offline' }) @IsOptional() @IsString() @Matches(/^[a-z0-9_-]{1,16}$/, { message: 'channel must be a payout channel id' })
  channel?: string;
}

export class MarkPaidInput {
  @ApiPropertyOptional({ description: 'Your reference of the offline payment (bank transfer no. …)' }) @IsOptional() @IsString() @Length(1, 64)
  providerRef?: string;
}

export class RateInput {
  @ApiProperty({ enum: ['percent', 'fixed'] }) @IsIn(['percent', 'fixed'])
  type: 'percent' | 'fixed';

  @ApiProperty({ description: 'percent: basis points of what the line paid (1050 = 10.5%); fixed: fen per unit' }) @IsInt() @Min(0) @Max(100_000_000)
  value: number;
}

export class LevelInput {
  @ApiProperty({ example: '高级' }) @IsString() @Length(1, 32)
  name: string;

  @ApiProperty({ description: 'Higher is better; upgrades only move up. Unique.', example: 1 }) @IsInt() @Min(0) @Max(9999)
  rank: number;

  @ApiProperty({ type: [RateInput], description: `L1 first; at most ${MAX_CHAIN_DEPTH}` })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_CHAIN_DEPTH, { message: `rates may have at most ${MAX_CHAIN_DEPTH} levels: deeper commission chains are not allowed` })
  @ValidateNested({ each: true }) @Type(() => RateInput)
  rates: RateInput[];

  @ApiPropertyOptional({ nullable: true, description: 'Upgrade when the direct team reaches this size' }) @IsOptional() @ValidateIf((_o, v) => v !== null) @IsInt() @Min(1) @Max(10_000_000)
  upgradeTeamSize?: number | null;

  @ApiPropertyOptional({ nullable: true, description: 'Upgrade when L1 sales reach this (fen)' }) @IsOptional() @ValidateIf((_o, v) => v !== null) @IsInt() @Min(1) @Max(1_000_000_000)
  upgradeSales?: number | null;

  @ApiPropertyOptional({ description: 'Make this the default level (the previous default stops being one)' }) @IsOptional() @IsBoolean()
  isDefault?: boolean;
}

export class OverrideInput {
  @ApiProperty({ nullable: true, description: 'null = every level' }) @ValidateIf((_o, v) => v !== null) @IsInt() @Min(1)
  levelId: number | null;

  @ApiProperty({ type: [RateInput] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_CHAIN_DEPTH, { message: `rates may have at most ${MAX_CHAIN_DEPTH} levels` })
  @ValidateNested({ each: true }) @Type(() => RateInput)
  rates: RateInput[];
}

export class ProductRatesInput {
  @ApiProperty({ type: [OverrideInput], description: 'Replaces every override of the product; [] removes them' })
  @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => OverrideInput)
  overrides: OverrideInput[];
}

export class PartnerPriceInput {
  @ApiProperty() @IsInt() @Min(1)
  variantId: number;

  @ApiProperty({ nullable: true, description: 'Fen, lower than the variant price; null removes it' }) @ValidateIf((_o, v) => v !== null) @IsInt() @Min(1) @Max(100_000_000)
  price: number | null;
}

export class PartnerPricesInput {
  @ApiProperty({ type: [PartnerPriceInput], description: 'Only the variants given change' })
  @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => PartnerPriceInput)
  prices: PartnerPriceInput[];
}
