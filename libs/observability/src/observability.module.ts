import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { MetricsSources } from './metrics-sources';
import { RedisHealthIndicator } from './redis.health';
import { startDefaultMetrics } from './metrics';
import { requestLogging } from './request-id';

/** Structured JSON logs with a request id, GET /health and GET /metrics (with what MetricsSources adds). */
@Module({})
export class ObservabilityModule {
  static forRoot(settings: { service: string; logLevel: string }): DynamicModule {
    startDefaultMetrics();
    return {
      module: ObservabilityModule,
      imports: [TerminusModule.forRoot({ logger: false }), LoggerModule.forRoot({ pinoHttp: requestLogging(settings) })],
      controllers: [HealthController, MetricsController],
      providers: [RedisHealthIndicator, MetricsSources],
      exports: [MetricsSources],
    };
  }
}
