import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { TandemConfig } from '@tandem/common';
import { WorkerModule } from './worker.module';

/** The worker: BullMQ processors and the outbox relay; over HTTP only /health and /metrics. */
export async function createWorkerApp(config: TandemConfig): Promise<INestApplication> {
  const app = await NestFactory.create(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
}
