import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** 200 when the app and its database answer; 503 otherwise. */
  @Get('healthz')
  async health(@Res() reply: FastifyReply) {
    const started = Date.now();
    let database: { status: 'up' | 'down'; type: string; latencyMs?: number; error?: string };
    try {
      await this.ds.query('SELECT 1');
      database = { status: 'up', type: String(this.ds.options.type), latencyMs: Date.now() - started };
    } catch (err) {
      database = { status: 'down', type: String(this.ds.options.type), error: (err as Error).message };
    }
    const ok = database.status === 'up';
    void reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'error', uptimeSeconds: Math.round(process.uptime()), database });
  }
}
