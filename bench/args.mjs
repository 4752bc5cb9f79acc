// The benchmark command line, shared by bench/run.mjs and the runtime harnesses in bench/runtimes/.

import { parseArgs } from 'node:util';

/**
 * Parses `[--mode=a,b] [--quick] [--n=2000] [--rounds=7]` for `script` (its path in the usage
 * line), whose modes are `modeNames`; on a bad argument prints the usage and exits 2.
 */
export function benchOptions(script, modeNames) {
  const usage = `usage: node ${script} [--mode=${modeNames.join(',')}] [--quick] [--n=2000] [--rounds=7]`;
  try {
    const { values } = parseArgs({
      options: {
        mode: { type: 'string', default: modeNames.join(',') },
        quick: { type: 'boolean', default: false },
        n: { type: 'string' },
        rounds: { type: 'string' },
      },
    });
    const modes = values.mode.split(',').filter(Boolean);
    for (const m of modes) if (!modeNames.includes(m)) throw new Error(`unknown mode "${m}"`);
    const n = Number(values.n ?? (values.quick ? 1000 : 2000));
    const rounds = Number(values.rounds ?? (values.quick ? 3 : 7));
    if (!(Number.isInteger(n) && n >= 1 && Number.isInteger(rounds) && rounds >= 1)) {
      throw new Error('--n and --rounds must be positive integers');
    }
    return { modes, n, rounds, quick: values.quick };
  } catch (err) {
    console.error(`${err.message}\n${usage}`);
    process.exit(2);
  }
}
