import { Controller, Get, Header, Headers, Inject, UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { register } from 'prom-client';
import { CONFIG, TandemConfig } from '@tandem/common';
import { MetricsSources, mergeExpositions } from './metrics-sources';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Compares digests so the time taken says nothing about how much of the token matched. */
function same(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(CONFIG) private readonly config: TandemConfig,
    private readonly sources: MetricsSources,
  ) {}

  /**
   * Open outside production. In production the metrics name operations and
   * show load, so they need `Authorization: Bearer <TANDEM_METRICS_TOKEN>` or
   * the admin key; anything else is 401.
   */
  @Get()
  @Header('Content-Type', register.contentType)
  async metrics(@Headers('authorization') authorization?: string): Promise<string> {
    if (this.config.production && !this.mayRead(authorization)) throw new UnauthorizedException('A metrics token is required');
    // The sources first: some of them set gauges of the registry (the outbox backlog).
    const extra = mergeExpositions(await this.sources.collect());
    return `${await register.metrics()}\n${extra}`;
  }

  private mayRead(authorization: string | undefined): boolean {
    const match = /^Bearer (\S+)$/.exec(authorization ?? '');
    if (!match) return false;
    const token = match[1];
    const accepted = [this.config.metricsToken, this.config.adminKey].filter((t): t is string => !!t);
    // Every candidate is compared, so which one matched does not show in the timing either.
    return accepted.map((t) => same(token, t)).includes(true);
  }
}
