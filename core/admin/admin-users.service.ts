import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ConflictError } from '../common/errors.js';
import { AdminUser } from './entities/admin-user.entity.js';
import { hashPassword, verifyPassword } from './password.js';

@Injectable()
export class AdminUsersService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async count(): Promise<number> {
    return this.ds.getRepository(AdminUser).count();
  }

  async create(email: string, password: string, role = 'owner'): Promise<AdminUser> {
    const repo = this.ds.getRepository(AdminUser);
    const normalized = email.trim().toLowerCase();
    if (await repo.findOneBy({ email: normalized })) throw new ConflictError('email_taken', `an admin with e-mail ${normalized} already exists`, 'email');
    return repo.save(repo.create({ email: normalized, passwordHash: await hashPassword(password), role, lastLoginAt: null }));
  }

  /** Creates the owner on first start; returns the generated password when one was generated. */
  async ensureOwner(email?: string, password?: string): Promise<{ email: string; password?: string } | null> {
    if ((await this.count()) > 0) return null;
    const ownerEmail = email ?? 'owner@mall.local';
    const generated = password ? undefined : randomBytes(9).toString('base64url');
    await this.create(ownerEmail, password ?? generated!);
    return { email: ownerEmail, password: generated };
  }

  async authenticate(email: string, password: string): Promise<AdminUser | null> {
    const repo = this.ds.getRepository(AdminUser);
    const user = await repo.findOneBy({ email: email.trim().toLowerCase() });
    // verify against a dummy hash too, so a wrong e-mail takes as long as a wrong password
    const ok = await verifyPassword(password, user?.passwordHash ?? 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
    if (!user || !ok) return null;
    await repo.update({ id: user.id }, { lastLoginAt: new Date() });
    return user;
  }

  async byId(id: number): Promise<AdminUser | null> {
    return this.ds.getRepository(AdminUser).findOneBy({ id });
  }
}
