/**
 * Import first in an app's main.ts (`import '@tandem/observability/start-tracing';`):
 * instrumentation patches a module only when it is loaded after the SDK
 * started, so this must run before any other import. It reads the variable
 * TandemConfig.otlpEndpoint names (OTEL_EXPORTER_OTLP_ENDPOINT) directly,
 * since loading the config would load GraphQL first; unset, nothing starts.
 * The service is named after the app whose main loaded it (tandem-api,
 * tandem-worker), unless OTEL_SERVICE_NAME says otherwise.
 */
import { startTracing } from './tracing';

const app = /(?:^|[\\/])apps[\\/]([a-z-]+)[\\/]/.exec(process.argv[1] ?? '')?.[1];
startTracing(app ? `tandem-${app}` : 'tandem', process.env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || null);
