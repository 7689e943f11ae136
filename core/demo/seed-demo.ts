import type { INestApplication } from '@nestjs/common';

/** Seeds the demo catalog into an empty database (written by the demo task). */
export async function seedDemo(_app: INestApplication): Promise<void> {}
