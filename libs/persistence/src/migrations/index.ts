import { InitialSchema1764000000000 } from './1764000000000-initial-schema';

/** Every migration, in order. Listed explicitly because bundlers break glob paths. */
export const MIGRATIONS = [InitialSchema1764000000000];
