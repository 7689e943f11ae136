import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length, Matches } from 'class-validator';

export class AddressInput {
  @ApiProperty({ example: '张三' }) @IsString() @Length(1, 32)
  recipientName: string;

  @ApiProperty({ example: '13800138000' })
  @IsString() @Matches(/^1[3-9]\d{9}$/, { message: 'phone must be an 11-digit mainland China mobile number, e.g. 13800138000' })
  phone: string;

  @ApiProperty({ example: '浙江省' }) @IsString() @Length(2, 32)
  province: string;

  @ApiProperty({ example: '杭州市' }) @IsString() @Length(2, 32)
  city: string;

  @ApiProperty({ example: '西湖区' }) @IsString() @Length(2, 32)
  district: string;

  @ApiProperty({ example: '文三路 100 号 2 幢 301' }) @IsString() @Length(4, 200)
  detail: string;

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  isDefault?: boolean;
}

export class SandboxSignInInput {
  @ApiProperty({ example: '小王', description: 'A test member name; the same name signs in the same member again' })
  @IsString() @Length(1, 32) @Matches(/^[^<>"'&]+$/, { message: 'nickname must not contain < > " \' or &' })
  nickname: string;
}
