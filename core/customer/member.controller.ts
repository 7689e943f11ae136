import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseIntPipe, Post, Put, Req, Res, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CurrentMember, MemberGuard, MemberSession } from '../auth/member-session.js';
import { ForbiddenError } from '../common/errors.js';
import { AddressInput, SandboxSignInInput } from './dto/address.dto.js';
import { Member } from './entities/member.entity.js';
import { MemberService } from './member.service.js';

function publicMember(m: Member) {
  return { id: m.id, nickname: m.nickname, avatarUrl: m.avatarUrl, source: m.source, createdAt: m.createdAt };
}

@ApiTags('members')
@Controller('api/v1')
export class MemberController {
  constructor(private readonly members: MemberService, private readonly session: MemberSession, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Sandbox sign-in: become a named test member (until WeChat sign-in is configured). */
  @Post('sandbox/sign-in')
  @HttpCode(200)
  async sandboxSignIn(@Body() body: SandboxSignInInput, @Res({ passthrough: true }) reply: FastifyReply) {
    if (!this.config.sandboxEnabled) throw new ForbiddenError('sandbox sign-in is turned off on this mall', 'sandbox_disabled');
    const member = await this.members.sandboxMember(body.nickname);
    this.session.signIn(reply, member.id);
    return publicMember(member);
  }

  @Post('sign-out')
  @HttpCode(204)
  signOut(@Res({ passthrough: true }) reply: FastifyReply) {
    this.session.signOut(reply);
  }

  @Get('me')
  async me(@Req() req: FastifyRequest) {
    const m = await this.session.current(req);
    return { member: m ? publicMember(m) : null };
  }

  @Get('addresses')
  @UseGuards(MemberGuard)
  addresses(@CurrentMember() m: Member) {
    return this.members.addresses(m.id);
  }

  @Post('addresses')
  @UseGuards(MemberGuard)
  addAddress(@CurrentMember() m: Member, @Body() body: AddressInput) {
    return this.members.addAddress(m.id, body);
  }

  @Put('addresses/:id')
  @UseGuards(MemberGuard)
  updateAddress(@CurrentMember() m: Member, @Param('id', ParseIntPipe) id: number, @Body() body: AddressInput) {
    return this.members.updateAddress(m.id, id, body);
  }

  @Delete('addresses/:id')
  @UseGuards(MemberGuard)
  @HttpCode(204)
  removeAddress(@CurrentMember() m: Member, @Param('id', ParseIntPipe) id: number) {
    return this.members.removeAddress(m.id, id);
  }
}
