import { resolve } from 'node:path';
import { DEFAULT_BANK_DIR } from '../loader.js';

/** `--dir PATH` picks another bank folder (fixture banks in tests); `--json` asks for machine output; `--balance` for the balance rules. */
export function cliOptions(argv: string[] = process.argv.slice(2)): { dir: string; json: boolean; balance: boolean } {
  const at = argv.indexOf('--dir');
  const dir = at >= 0 && argv[at + 1] ? resolve(argv[at + 1]!) : DEFAULT_BANK_DIR;
  // --balance applies the balance rules before lint.ts enforces them by default.
  return { dir, json: argv.includes('--json'), balance: argv.includes('--balance') };
}
