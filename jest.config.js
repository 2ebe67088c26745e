// One Jest run, three tiers: unit specs beside the code, integration specs
// (real PostgreSQL and Redis, a database per suite) and end-to-end suites in test/.
// test/global-setup.ts starts an embedded PostgreSQL for the run when no server
// answers on 127.0.0.1:5432, and keeps the queues on PostgreSQL when no Redis answers.
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]));

const transform = {
  // dinero.js ships ES modules only; it is compiled to CommonJS like our own code.
  '^.+\\.(ts|m?js)$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    },
  ],
};

const base = {
  rootDir: __dirname,
  moduleNameMapper,
  transform,
  transformIgnorePatterns: ['/node_modules/(?!(dinero\\.js|@dinero\\.js)/)'],
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  transform,
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,tools}/**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/apps/portal/'],
    },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'], setupFiles: ['<rootDir>/libs/testing/src/jest-setup.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'], setupFiles: ['<rootDir>/libs/testing/src/jest-setup.ts'] },
    // The portal's pure helpers and its operations against schema.graphql (no DOM: jsdom is not installed).
    {
      ...base,
      displayName: 'portal',
      testMatch: ['<rootDir>/apps/portal/src/**/*.spec.ts'],
      moduleNameMapper: {},
      transformIgnorePatterns: ['/node_modules/'],
    },
  ],
};
