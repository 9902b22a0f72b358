import { formatProblem, loadBankFiles } from '../loader.js';
import { BANK_BALANCE_RULES_ENFORCED, lintBank } from '../lint.js';
import { cliOptions } from './args.js';

const { dir, balance } = cliOptions();
const { questions, problems, files } = await loadBankFiles(dir);
const all = [...problems, ...lintBank(questions, balance ? { balance } : {})];

if (all.length > 0) {
  for (const p of all) console.error(formatProblem(p));
  console.error(`\n${all.length} problem(s) in ${files.length} file(s); ${questions.length} question(s) passed the schema.`);
  process.exit(1);
}
const rules = balance || BANK_BALANCE_RULES_ENFORCED ? 'balance rules applied' : 'balance rules off: --balance applies them';
console.log(`question bank OK: ${questions.length} questions in ${files.length} files (${rules})`);
