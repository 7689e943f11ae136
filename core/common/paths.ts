import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Compiled code runs from dist/core/common; templates, themes and plugins are read from the project root. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function fromRoot(...segments: string[]): string {
  return resolve(PROJECT_ROOT, ...segments);
}
