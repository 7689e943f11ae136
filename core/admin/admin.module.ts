import { Module } from '@nestjs/common';
import { AdminUsersService } from './admin-users.service.js';

@Module({ providers: [AdminUsersService], exports: [AdminUsersService] })
export class AdminModule {}
