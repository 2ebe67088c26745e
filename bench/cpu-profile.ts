import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

/**
 * Preloaded (-r) into the API when the bench runs with BENCH_CPU_PROFILE=<dir>
 * (bench/support.ts, BenchStack.profileApi): the bench's 'start' message on the
 * IPC channel starts V8's sampling profiler, 'stop' stops it and writes
 * `${TANDEM_CPU_PROFILE_PREFIX}.<n>.cpuprofile`, so a profile holds one phase of
 * a scenario and not the start-up. Not a signal: Nest's shutdown hooks take
 * SIGUSR2 as a shutdown. node
 * --cpu-prof cannot serve here: it profiles the whole life and writes only on a
 * normal exit, and Nest's shutdown hooks end the process by re-raising SIGTERM.
 * Open the file in Chrome DevTools (Performance) or summarise it with
 * bench/profile-summary.ts.
 */
const prefix = process.env.TANDEM_CPU_PROFILE_PREFIX;
if (prefix) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  // 1 ms between samples: fine enough for requests of a few ms, cheap enough not to move the figures much.
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  let written = 0;
  process.on('message', (message) => {
    if (message === 'start') return session.post('Profiler.start');
    if (message !== 'stop') return;
    // A same-thread inspector session answers synchronously; the rename shows the bench only a whole file.
    session.post('Profiler.stop', (err, result) => {
      const file = `${prefix}.${written++}.cpuprofile`;
      if (err) return;
      writeFileSync(`${file}.part`, JSON.stringify(result.profile));
      renameSync(`${file}.part`, file);
    });
  });
  // Adding the listener holds the channel open; it must not keep the process alive once the app has shut down.
  process.channel?.unref();
}
