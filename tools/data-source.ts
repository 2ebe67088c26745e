import 'reflect-metadata';
import { DataSource, getMetadataArgsStorage } from 'typeorm';
import { loadConfig } from '@tandem/common';
import { dataSourceOptions } from '@tandem/persistence';
// Importing the domain libraries registers their entities with TypeORM.
import '@tandem/auth';
import '@tandem/jobs';
import '@tandem/network';
import '@tandem/routing';
import '@tandem/ledger';
import '@tandem/settlement';
import '@tandem/health';

/** The DataSource the TypeORM CLI uses (migration:generate): every entity the app maps. */
export default new DataSource(
  dataSourceOptions({
    url: loadConfig().databaseUrl,
    entities: getMetadataArgsStorage().tables.map((t) => t.target),
    applicationName: 'tandem-cli',
  }),
);
