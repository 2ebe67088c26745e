import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { TandemConfig } from '@tandem/common';
import { WorkerModule, WorkerOptions } from './worker.module';

/** The worker: BullMQ processors and the outbox relay; over HTTP only /health and /metrics. */
export async function createWorkerApp(config: TandemConfig, options: WorkerOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create(WorkerModule.forRoot(config, options), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
}
