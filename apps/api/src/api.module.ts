import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { AnalyticsGraphqlModule } from '@tandem/analytics';
import { ApiKeyService, AuthModule } from '@tandem/auth';
import { DateTimeScalar, TandemConfig, TandemConfigModule } from '@tandem/common';
import { DisputesGraphqlModule } from '@tandem/disputes';
import { HealthGraphqlModule } from '@tandem/health';
import { JobsModule } from '@tandem/jobs';
import { NetworkGraphqlModule } from '@tandem/network';
import { ObservabilityModule } from '@tandem/observability';
import { PersistenceModule } from '@tandem/persistence';
import { RoutingGraphqlModule } from '@tandem/routing';
import { SettlementGraphqlModule } from '@tandem/settlement';
import { WebhooksGraphqlModule } from '@tandem/webhooks';
import { graphqlOptions } from './graphql/graphql.options';
import { ApiKeyGateMiddleware } from './http/api-key-gate.middleware';
import { RateLimits } from './http/rate-limits';
import { QuietExceptionFilter } from './graphql/quiet-exception.filter';

@Module({})
export class ApiModule implements NestModule {
  static forRoot(config: TandemConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        TandemConfigModule.forRoot(config),
        ObservabilityModule.forRoot({ service: 'api', logLevel: config.logLevel }),
        PersistenceModule.forRoot({ url: config.databaseUrl, role: 'api', readUrl: config.databaseReadUrl }),
        JobsModule.forRoot(config),
        AuthModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [ApiKeyService],
          useFactory: (keys: ApiKeyService) => graphqlOptions(config, keys),
        }),
        NetworkGraphqlModule,
        RoutingGraphqlModule,
        SettlementGraphqlModule,
        DisputesGraphqlModule,
        HealthGraphqlModule,
        AnalyticsGraphqlModule,
        WebhooksGraphqlModule,
      ],
      providers: [DateTimeScalar, RateLimits, { provide: APP_FILTER, useClass: QuietExceptionFilter }],
    };
  }

  /** Keys and rate limits are checked before Apollo reads a document (the body parser's 1 MB limit comes first). */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ApiKeyGateMiddleware).forRoutes({ path: 'graphql', method: RequestMethod.ALL });
  }
}
