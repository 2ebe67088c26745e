#!/usr/bin/env node
// Runs the compiled build (npm run build) with plain node: no TypeScript at start.
// npm run start:prod (the API), start:prod:worker, migrate:prod.
const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const entries = {
  api: ['dist/apps/api/src/main.js'],
  worker: ['dist/apps/worker/src/main.js'],
  migrate: ['dist/tools/migrate.js', 'up'],
};
const [name, ...rest] = process.argv.slice(2);
if (!entries[name]) {
  console.error(`usage: node tools/build/run-dist.js <${Object.keys(entries).join('|')}> [args]`);
  process.exit(2);
}
if (!existsSync(path.join(root, entries[name][0]))) {
  console.error(`tandem: ${entries[name][0]} is missing; run npm run build first`);
  process.exit(1);
}
// The API and the worker run with a bounded heap, as tools/start.ts starts them.
const nodeArgs = name === 'migrate' ? [] : require('../service-node-args.json');
const child = spawn(process.execPath, [...nodeArgs, ...entries[name], ...rest], { cwd: root, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
