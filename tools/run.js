#!/usr/bin/env node
// Runs the workspace's TypeScript entry points with @swc-node/register, which
// compiles on the fly with decorator metadata and the tsconfig path aliases.
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const entries = {
  start: ['tools/start.ts'],
  api: ['apps/api/src/main.ts'],
  worker: ['apps/worker/src/main.ts'],
  migrate: ['tools/migrate.ts', 'up'],
  'migrate:revert': ['tools/migrate.ts', 'revert'],
  'migration:generate': ['tools/migrate.ts', 'generate'],
  demo: ['tools/demo/demo.ts'],
  bench: ['bench/bench.ts'],
};

const [name, ...rest] = process.argv.slice(2);
if (!entries[name]) {
  console.error(`usage: node tools/run.js <${Object.keys(entries).join('|')}> [args]`);
  process.exit(2);
}
// The API and the worker run with a bounded heap, as tools/start.ts starts them.
const nodeArgs = name === 'api' || name === 'worker' ? require('./service-node-args.json') : [];
const child = spawn(process.execPath, [...nodeArgs, '-r', '@swc-node/register', ...entries[name], ...rest], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json') },
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
