import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { TandemConfig } from '@tandem/common';
import { ApiModule } from './api.module';
import { servePortal } from './portal/serve-portal';

/** Builds the API application (used by main.ts and by the end-to-end suites). */
export async function createApiApp(config: TandemConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  // Nothing in a response names the framework, and no answer is sniffed into another type.
  app.disable('x-powered-by');
  app.use((_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  // Express's default is 100 kB; the contract allows 1 MB and answers 413 above it.
  app.useBodyParser('json', { limit: '1mb' });
  servePortal(app);
  app.enableShutdownHooks();
  return app;
}
