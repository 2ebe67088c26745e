#!/usr/bin/env node
// npm run build: the production build. TypeScript of apps/api, apps/worker,
// libs/* and tools/ to JavaScript in dist/ (tsc, tsconfig.build.json), the
// @tandem/* path aliases as tiny packages in dist/node_modules so plain node
// resolves them, and the portal (Vite) copied to where the compiled API serves
// it from (dist/apps/portal/dist). `npm run start:prod` runs the result.
const { execFileSync } = require('node:child_process');
const { cpSync, mkdirSync, rmSync, writeFileSync, existsSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const dist = path.join(root, 'dist');
const args = new Set(process.argv.slice(2));
const step = (line) => console.log(`build: ${line}`);

function run(bin, argv) {
  execFileSync(process.execPath, [path.join(root, 'node_modules', bin), ...argv], { cwd: root, stdio: 'inherit' });
}

/** dist/node_modules/@tandem/<lib>[/<sub>]/index.js re-exports the compiled target of each tsconfig path alias. */
function writeAliases() {
  const { compilerOptions } = require(path.join(root, 'tsconfig.base.json'));
  for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
    const dir = path.join(dist, 'node_modules', alias);
    const compiled = path.join(dist, target.replace(/\.ts$/, '.js'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'index.js'), `module.exports = require(${JSON.stringify(path.relative(dir, compiled).split(path.sep).join('/'))});\n`);
  }
}

rmSync(dist, { recursive: true, force: true });
step('compiling apps, libs and tools to dist/ (tsc -p tsconfig.build.json)');
run('typescript/bin/tsc', ['-p', 'tsconfig.build.json']);
writeAliases();
if (!args.has('--no-portal')) {
  step('building the portal (vite)');
  run('vite/bin/vite.js', ['build', '--config', 'apps/portal/vite.config.ts', '--logLevel', 'warn']);
}
const portal = path.join(root, 'apps/portal/dist');
if (existsSync(portal)) cpSync(portal, path.join(dist, 'apps/portal/dist'), { recursive: true });
step('done: node dist/apps/api/src/main.js, node dist/apps/worker/src/main.js, node dist/tools/migrate.js up');
