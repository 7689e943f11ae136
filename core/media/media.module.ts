import { Module } from '@nestjs/common';
import { MediaController } from './media.controller.js';
import { MediaStorage } from './media-storage.service.js';

/** Serves MEDIA_DIR at /media and lets other modules (demo seed, uploads, imports) write into it. */
@Module({ controllers: [MediaController], providers: [MediaStorage], exports: [MediaStorage] })
export class MediaModule {}
