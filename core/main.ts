import 'reflect-metadata';
import { ConfigError } from './config/app-config.js';
import { createApp } from './app/create-app.js';

async function main(): Promise<void> {
  const { app, config, createdOwner } = await createApp();
  if (config.seedDemo) {
    const { seedDemo } = await import('./demo/seed-demo.js');
    await seedDemo(app);
  }
  await app.listen({ port: config.port, host: config.host });
  const lines = [`Storefront: ${config.publicUrl}/`, `Admin:      ${config.publicUrl}/admin`, `API docs:   ${config.publicUrl}/api/docs`];
  if (createdOwner?.password) lines.push(`Owner account created: ${createdOwner.email} / ${createdOwner.password}  (shown once; change it in admin)`);
  if (config.sessionSecretGenerated) lines.push('SESSION_SECRET is not set: sessions will not survive a restart. Set it in production.');
  console.log(`\n${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
