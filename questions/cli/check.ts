import { formatProblem, loadBankFiles } from '../loader.js';
import { lintBank } from '../lint.js';
import { cliOptions } from './args.js';

const { dir, balance } = cliOptions();
const { questions, problems, files } = await loadBankFiles(dir);
const all = [...problems, ...lintBank(questions, balance ? { balance } : {})];

if (all.length > 0) {
  for (const p of all) console.error(formatProblem(p));
  console.error(`\n${all.length} problem(s) in ${files.length} file(s); ${questions.length} question(s) passed the schema.`);
  process.exit(1);
}
console.log(`question bank OK: ${questions.length} questions in ${files.length} files`);
