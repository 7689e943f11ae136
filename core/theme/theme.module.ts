import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import { HttpExceptionFilter } from '../common/http-exception.filter.js';
import { ThemeService } from './theme.service.js';
import { ThemeAssetsController } from './theme-assets.controller.js';
import { ThemeAdminApiController, ThemeAdminPagesController } from './theme-admin.controller.js';
import { ThemeAdminService } from './theme-admin.service.js';
import { ThemeAdminViews } from './theme-admin.views.js';

/**
 * The themes admin (/admin/themes, /api/v1/admin/themes) uses core/admin's guard, session and views,
 * which AdminModule provides globally (one AdminViews instance, so the menu includes plugin entries).
 */
@Module({
  controllers: [ThemeAssetsController, ThemeAdminPagesController, ThemeAdminApiController],
  providers: [ThemeService, ThemeAdminService, ThemeAdminViews],
  exports: [ThemeService],
})
export class ThemeModule implements OnModuleInit {
  constructor(private readonly themes: ThemeService) {}

  /** Storefront (non-/api) errors render the theme's `error` page; the theme is loaded up front so the first error has it. */
  async onModuleInit(): Promise<void> {
    HttpExceptionFilter.renderHtmlError = (req, body) => this.themes.renderError(req, body);
    try {
      await this.themes.active();
    } catch (err) {
      new Logger('Themes').warn(`theme not loaded at start-up: ${(err as Error).message}`);
    }
  }
}
