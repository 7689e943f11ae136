import { Module } from '@nestjs/common';
import { ThemeService } from './theme.service.js';
import { ThemeAssetsController } from './theme-assets.controller.js';

@Module({ controllers: [ThemeAssetsController], providers: [ThemeService], exports: [ThemeService] })
export class ThemeModule {}
