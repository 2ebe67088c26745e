import path from 'node:path';
import { chooseServices, serviceEnv, ServiceChoice } from './choose';
import { isListening, startEmbeddedPostgres } from './postgres';

export interface ProvidedServices {
  /** The environment to load the configuration from and to hand to the services. */
  env: NodeJS.ProcessEnv;
  choice: ServiceChoice;
  /** Stops the embedded PostgreSQL, if one was started; call it after the services have stopped. */
  stop(): Promise<void>;
}

/**
 * Chooses PostgreSQL and the queue store, says which and why in one line each,
 * and starts the embedded PostgreSQL when that is the choice. Used by npm start
 * and the demo.
 */
export async function provideServices(
  env: NodeJS.ProcessEnv,
  holder: string,
  log: (line: string) => void,
  opts: { database?: string; subdir?: string } = {},
): Promise<ProvidedServices> {
  const chosen = await chooseServices(env, (port) => isListening(port));
  // The demo keeps a cluster of its own beside npm start's, so both can run at once.
  const choice = opts.subdir ? { ...chosen, dataDir: path.join(chosen.dataDir, opts.subdir) } : chosen;
  const where = path.relative(process.cwd(), choice.dataDir) || '.';
  log(
    choice.database === 'embedded'
      ? `PostgreSQL: embedded, data in ${where.startsWith('..') ? choice.dataDir : where}/ (${choice.databaseReason})`
      : `PostgreSQL: server (${choice.databaseReason})`,
  );
  log(choice.queues === 'postgres' ? `queues: on PostgreSQL (${choice.queuesReason})` : `queues: on Redis (${choice.queuesReason})`);
  if (choice.database !== 'embedded') return { env: serviceEnv(env, choice, null), choice, stop: async () => undefined };

  const server = await startEmbeddedPostgres({ dataDir: choice.dataDir, holder, log });
  return { env: serviceEnv(env, choice, server.url(opts.database ?? 'tandem')), choice, stop: () => server.stop() };
}
