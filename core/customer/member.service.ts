import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { NotFoundError, BadInputError } from '../common/errors.js';
import { TransactionRunner } from '../database/transaction.js';
import { EventBus } from '../events/event-bus.service.js';
import { Member } from './entities/member.entity.js';
import { Address } from './entities/address.entity.js';
import type { AddressInput } from './dto/address.dto.js';

const MAX_ADDRESSES = 20;

export interface MemberProfile {
  unionid?: string | null;
  nickname?: string;
  avatarUrl?: string | null;
}

@Injectable()
export class MemberService {
  private readonly tx: TransactionRunner;

  constructor(@InjectDataSource() private readonly ds: DataSource, private readonly events: EventBus) {
    this.tx = new TransactionRunner(ds);
  }

  /** Finds the member by openid or creates them (emitting member.created once). Safe under concurrent first visits. */
  async findOrCreateByOpenid(openid: string, source: string, profile: MemberProfile = {}): Promise<Member> {
    const repo = this.ds.getRepository(Member);
    const existing = await repo.findOneBy({ openid });
    if (existing) return this.refreshProfile(existing, profile);
    try {
      return await this.tx.run(async (tx) => {
        const member = await tx.manager.save(Member, tx.manager.create(Member, {
          openid, source, unionid: profile.unionid ?? null, nickname: profile.nickname ?? '', avatarUrl: profile.avatarUrl ?? null, locale: null,
        }));
        await this.events.publish(tx, 'member.created', { memberId: member.id, openid, source });
        return member;
      });
    } catch (err) {
      const again = await repo.findOneBy({ openid }); // lost a race with a concurrent first visit
      if (again) return again;
      throw err;
    }
  }

  /** Sandbox sign-in: the same nickname always maps to the same test member. */
  async sandboxMember(nickname: string): Promise<Member> {
    const name = nickname.trim();
    if (!name) throw new BadInputError('nickname', 'nickname must not be empty');
    const openid = `sandbox_${createHash('sha256').update(name).digest('hex').slice(0, 24)}`;
    return this.findOrCreateByOpenid(openid, 'sandbox', { nickname: name, avatarUrl: null });
  }

  async byId(id: number): Promise<Member> {
    const m = await this.ds.getRepository(Member).findOneBy({ id });
    if (!m) throw new NotFoundError('member', id);
    return m;
  }

  private async refreshProfile(member: Member, profile: MemberProfile): Promise<Member> {
    const patch: Partial<Member> = {};
    if (profile.nickname && profile.nickname !== member.nickname) patch.nickname = profile.nickname;
    if (profile.avatarUrl && profile.avatarUrl !== member.avatarUrl) patch.avatarUrl = profile.avatarUrl;
    if (profile.unionid && profile.unionid !== member.unionid) patch.unionid = profile.unionid;
    if (Object.keys(patch).length) {
      await this.ds.getRepository(Member).update({ id: member.id }, patch);
      Object.assign(member, patch);
    }
    return member;
  }

  // ---- addresses: a member only ever sees their own ----

  async addresses(memberId: number): Promise<Address[]> {
    return this.ds.getRepository(Address).find({ where: { memberId }, order: { isDefault: 'DESC', id: 'DESC' } });
  }

  async address(memberId: number, id: number): Promise<Address> {
    const a = await this.ds.getRepository(Address).findOneBy({ id, memberId });
    if (!a) throw new NotFoundError('address', id, 'addressId');
    return a;
  }

  async addAddress(memberId: number, input: AddressInput): Promise<Address> {
    return this.tx.run(async ({ manager }) => {
      const count = await manager.countBy(Address, { memberId });
      if (count >= MAX_ADDRESSES) throw new BadInputError('addresses', `a member can keep at most ${MAX_ADDRESSES} addresses`, 'too_many_addresses');
      const isDefault = input.isDefault ?? count === 0;
      if (isDefault) await manager.update(Address, { memberId }, { isDefault: false });
      return manager.save(Address, manager.create(Address, { ...input, memberId, isDefault }));
    });
  }

  async updateAddress(memberId: number, id: number, input: AddressInput): Promise<Address> {
    return this.tx.run(async ({ manager }) => {
      const a = await manager.findOneBy(Address, { id, memberId });
      if (!a) throw new NotFoundError('address', id);
      if (input.isDefault) await manager.update(Address, { memberId }, { isDefault: false });
      Object.assign(a, input, { isDefault: input.isDefault ?? a.isDefault });
      return manager.save(a);
    });
  }

  async removeAddress(memberId: number, id: number): Promise<void> {
    const res = await this.ds.getRepository(Address).delete({ id, memberId });
    if (!res.affected) throw new NotFoundError('address', id);
  }
}
