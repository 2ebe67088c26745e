// The end-to-end tier against the compiled build (npm run build): every
// @tandem/* import and every test import of apps/ or libs/ resolves to the
// JavaScript in dist/ rather than to the TypeScript sources, so the suites
// exercise what the image runs. `npm run test:e2e:dist`; .ci/run runs it in
// its second end-to-end pass.
const path = require('node:path');
const base = require('./jest.config');
const { compilerOptions } = require('./tsconfig.base.json');

// Services the suites spawn (test/support/processes.ts) run from dist/ too; Jest's workers inherit this.
process.env.TANDEM_TEST_COMPILED = '1';

const toDist = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/dist/${target.replace(/\.ts$/, '.js')}`]),
);

module.exports = {
  ...base,
  projects: base.projects.map((project) =>
    project.displayName !== 'e2e'
      ? project
      : {
          ...project,
          moduleNameMapper: { ...toDist, '^(?:\\.\\./)+(apps|libs)/(.*)$': '<rootDir>/dist/$1/$2' },
          // The compiled output is CommonJS already.
          transformIgnorePatterns: ['/node_modules/(?!(dinero\\.js|@dinero\\.js)/)', `^${path.join(__dirname, 'dist')}/`],
        },
  ),
};
