import { readFileSync } from 'node:fs';
import path from 'node:path';
import SERVICE_NODE_ARGS from './service-node-args.json';

const ROOT = path.resolve(__dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/**
 * The runtime image has no tools/ to read service-node-args.json from, so
 * docker/Dockerfile and docker/README.md write its flags out: they must stay the same.
 */
describe('the services node flags outside tools/', () => {
  it("docker/Dockerfile's CMD runs the API with tools/service-node-args.json's flags", () => {
    const cmd = /^CMD (\[.*\])$/m.exec(read('docker/Dockerfile'))?.[1];
    expect(JSON.parse(cmd ?? 'null')).toEqual(['node', ...SERVICE_NODE_ARGS, 'dist/apps/api/src/main.js']);
  });

  it.each(['api', 'worker'])("docker/README.md's %s command has the same flags", (service) => {
    expect(read('docker/README.md')).toContain(`\`node ${SERVICE_NODE_ARGS.join(' ')} dist/apps/${service}/src/main.js\``);
  });
});
