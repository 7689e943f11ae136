import { applyDecorators, UseFilters, UseGuards } from '@nestjs/common';
import { AdminGuard } from '../admin/admin-session.js';
import { AdminHtmlFilter } from '../admin/admin-html.filter.js';

/**
 * Marks a controller or route as admin-only, exactly like core's back office: a signed-in admin
 * (HTML pages redirect to /admin/login, the API answers 401) and, for POST/PUT/PATCH/DELETE, the
 * session's CSRF token (x-csrf-token header or _csrf field; 403 otherwise). Errors on HTML pages
 * render as admin pages. Plugins use this decorator rather than naming core's guard, so the contract
 * does not change if the admin's authentication does.
 *
 * Works in any plugin module: the plugin host (a global module) re-exports core's AdminModule.
 */
export function AdminOnly(): ClassDecorator & MethodDecorator {
  return applyDecorators(UseGuards(AdminGuard), UseFilters(AdminHtmlFilter));
}
