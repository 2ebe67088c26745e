/**
 * The tables persistence owns: TypeORM's record of the migrations run, and the simulated clock. Only this library's code
 * names them: others read through what it exports (tools/ownership/ownership.spec.ts checks it).
 */
export const OWNED_TABLES: readonly string[] = ['migrations', 'simulated_clock'];
