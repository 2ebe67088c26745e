import { MigrationInterface } from 'typeorm';

/** A migration as TypeORM takes it: a class whose name ends in its 13-digit timestamp. */
export type MigrationClass = new () => MigrationInterface;
