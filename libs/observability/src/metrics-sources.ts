import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';

/** Metrics in Prometheus' text format, made on each scrape, beside prom-client's registry. */
export type MetricsSource = () => Promise<string>;

/**
 * What a process adds to its /metrics beyond prom-client's registry (the
 * worker: BullMQ's queue counts, the outbox backlog). A source that fails is
 * left out of that scrape, logged, and the rest is still served.
 */
@Injectable()
export class MetricsSources {
  private readonly log = new Logger(MetricsSources.name);
  private readonly sources: MetricsSource[] = [];

  add(source: MetricsSource): void {
    this.sources.push(source);
  }

  async collect(): Promise<string[]> {
    return Promise.all(
      this.sources.map((source) =>
        source().catch((e: Error) => {
          this.log.warn(`a metrics source failed: ${e.message}`);
          return '';
        }),
      ),
    );
  }
}

/**
 * Joins expositions that may repeat a metric family (each BullMQ queue writes
 * its own HELP and TYPE lines): one HELP and TYPE per family, then all its
 * samples, as Prometheus requires.
 */
export function mergeExpositions(texts: readonly string[]): string {
  const families = new Map<string, { help?: string; type?: string; samples: string[] }>();
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { samples: [] }));
    return f;
  };
  for (const line of texts.flatMap((t) => t.split('\n'))) {
    const meta = /^# (HELP|TYPE) (\S+)/.exec(line);
    if (meta) {
      const f = family(meta[2]);
      if (meta[1] === 'HELP') f.help ??= line;
      else f.type ??= line;
    } else if (line.trim() !== '' && !line.startsWith('#')) {
      family(line.split(/[{\s]/, 1)[0]).samples.push(line);
    }
  }
  const lines = [...families.values()].flatMap((f) => [f.help, f.type, ...f.samples].filter((l): l is string => !!l));
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** BullMQ's own metrics of these queues (bullmq_job_count by state, completed and failed totals). */
export function queueMetrics(queues: () => readonly Queue[]): MetricsSource {
  return async () => mergeExpositions(await Promise.all(queues().map((q) => q.exportPrometheusMetrics())));
}
