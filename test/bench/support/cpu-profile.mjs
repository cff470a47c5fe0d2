// Preloaded into a benchmark's gateway (`BENCH_GATEWAY_NODE_OPTIONS='--import ./test/bench/support/cpu-profile.mjs'`):
// a CPU profile of the whole process, written when it exits, to $CPU_PROFILE_DIR (default /tmp)
// as gateway-<pid>.cpuprofile (open it in Chrome DevTools). Through the inspector protocol
// because Node refuses --cpu-prof in NODE_OPTIONS.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 100 });
session.post('Profiler.start');
process.on('exit', () => {
  // A session in the same thread answers synchronously, so the profile is written before the exit.
  session.post('Profiler.stop', (error, result) => {
    if (!error) writeFileSync(`${process.env.CPU_PROFILE_DIR ?? '/tmp'}/gateway-${process.pid}.cpuprofile`, JSON.stringify(result.profile));
  });
});
