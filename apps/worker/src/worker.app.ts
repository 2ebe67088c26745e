import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { TandemConfig } from '@tandem/common';
import { assertEveryJobHandled } from '@tandem/jobs';
import { QUEUE_HANDLERS } from './queue-handlers';
import { WorkerModule } from './worker.module';

/** The worker: BullMQ processors and the outbox relay; over HTTP only /health and /metrics. */
export async function createWorkerApp(config: TandemConfig): Promise<INestApplication> {
  const app = await NestFactory.create(WorkerModule.forRoot(config), { bufferLogs: true });
  try {
    // Before init, where the processors start taking jobs: a job without a handler stops the boot.
    assertEveryJobHandled(app.get(QUEUE_HANDLERS));
  } catch (e) {
    await app.close();
    throw e;
  }
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
}
