import { Controller, Get, Injectable, Post, Req, Res, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_BODY_BYTES, WechatInboundService, type PushQuery } from '../services/inbound.service.js';

/**
 * The server URL pasted into the WeChat console: GET for the handshake, POST for messages and events.
 * Wrong signature, bad XML or an oversized body → refused, and nothing else happens.
 */
@ApiExcludeController()
@Controller('wechat')
export class WechatServerController {
  constructor(private readonly inbound: WechatInboundService) {}

  @Get()
  async handshake(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const answer = await this.inbound.handshake(strings(req.query));
    void reply.status(answer.status).header('content-type', answer.contentType).send(answer.body);
  }

  @Post()
  async receive(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const answer = await this.inbound.receive(strings(req.query), req.body);
    void reply.status(answer.status).header('content-type', answer.contentType).send(answer.body);
  }
}

function strings(query: unknown): PushQuery {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((query ?? {}) as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * WeChat posts `text/xml`, which Fastify does not parse by default: this parser hands the body over
 * as a string, up to MAX_BODY_BYTES (larger bodies are refused with 413 before any handler runs).
 */
@Injectable()
export class XmlBodyParser implements OnModuleInit {
  constructor(private readonly host: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || typeof fastify.addContentTypeParser !== 'function') return;
    for (const type of ['text/xml', 'application/xml']) {
      if (fastify.hasContentTypeParser(type)) continue;
      fastify.addContentTypeParser(type, { parseAs: 'string', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => done(null, body));
    }
  }
}
