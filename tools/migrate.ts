import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { loadConfigOrExit, redactUrl } from '@tandem/common';
import { ensureDatabase, migrate, revertLastMigration } from '@tandem/persistence';

/** Nx targets migrate, migrate:revert and migration:generate end here. */
async function main() {
  const [command, name] = process.argv.slice(2);
  const config = loadConfigOrExit();
  if (command === 'up') {
    await ensureDatabase(config.databaseUrl);
    const ran = await migrate(config.databaseUrl);
    console.log(ran.length ? `ran ${ran.join(', ')} on ${redactUrl(config.databaseUrl)}` : 'nothing to migrate');
  } else if (command === 'revert') {
    await revertLastMigration(config.databaseUrl);
    console.log('reverted the last migration');
  } else if (command === 'generate') {
    if (!name) throw new Error('usage: npm run migration:generate -- <kebab-name>');
    const root = path.resolve(__dirname, '..');
    execFileSync(
      process.execPath,
      [require.resolve('typeorm/cli'), 'migration:generate', '-d', 'tools/data-source.ts', `libs/persistence/src/migrations/${name}`],
      { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '-r @swc-node/register' } },
    );
    console.log('now add the new class to libs/persistence/src/migrations/index.ts');
  } else {
    throw new Error(`unknown command ${command}`);
  }
}

main().catch((e: Error) => {
  console.error(`tandem migrate: ${e.message}`);
  process.exit(1);
});
