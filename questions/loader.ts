import { readFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { QuestionRecordSchema, type QuestionRecord } from '../shared/question.js';

/** One problem in the bank, precise enough to fix without searching: file, question id, field path. */
export interface BankProblem {
  file: string;
  id?: string;
  field?: string;
  message: string;
}

export interface LoadedQuestion {
  record: QuestionRecord;
  file: string;
}

export interface LoadResult {
  questions: LoadedQuestion[];
  problems: BankProblem[];
  files: string[];
}

export function formatProblem(p: BankProblem): string {
  // File-level problems (YAML syntax, not a list) have neither id nor field.
  const id = p.id ?? (p.field ? undefined : '(file)');
  return [p.file, id, p.field, p.message].filter(Boolean).join(': ');
}

/** The project root: the nearest folder above this module with a package.json (works from src and dist). */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

export const DEFAULT_BANK_DIR = join(projectRoot(), 'questions', 'bank');

async function yamlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    '',
  );
}

function zodProblems(file: string, id: string | undefined, error: z.ZodError): BankProblem[] {
  return error.issues.map((issue) => ({ file, id, field: fieldPath(issue.path) || undefined, message: issue.message }));
}

/**
 * Reads every YAML file under `dir`, validates each question with the shared zod schema and rejects
 * duplicate ids. Never throws for bad content: every problem is returned so one run lists them all.
 */
export async function loadBankFiles(dir: string = DEFAULT_BANK_DIR): Promise<LoadResult> {
  const root = resolve(dir);
  const files = await yamlFiles(root);
  const questions: LoadedQuestion[] = [];
  const problems: BankProblem[] = [];
  const idFile = new Map<string, string>();
  const displayBase = projectRoot();

  for (const path of files) {
    const file = relative(displayBase, path) || path;
    const doc = parseDocument(await readFile(path, 'utf8'), { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
      for (const e of doc.errors) problems.push({ file, message: `YAML: ${e.message.split('\n')[0]}` });
      continue;
    }
    const data: unknown = doc.toJS();
    if (!Array.isArray(data)) {
      problems.push({ file, message: 'the file must hold a YAML list of questions' });
      continue;
    }
    data.forEach((raw: unknown, index) => {
      const rawId =
        raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string'
          ? (raw as { id: string }).id
          : `#${index + 1}`;
      const parsed = QuestionRecordSchema.safeParse(raw);
      if (!parsed.success) {
        problems.push(...zodProblems(file, rawId, parsed.error));
        return;
      }
      const q = parsed.data;
      const earlier = idFile.get(q.id);
      if (earlier !== undefined) {
        problems.push({ file, id: q.id, field: 'id', message: `duplicate id (first defined in ${earlier})` });
        return;
      }
      idFile.set(q.id, file);
      questions.push({ record: q, file });
    });
  }
  if (files.length === 0) problems.push({ file: relative(displayBase, root) || root, message: 'no question files found' });
  return { questions, problems, files };
}

/** Loads the bank for the server: any problem is fatal, with every problem listed. */
export async function loadBank(dir: string = DEFAULT_BANK_DIR): Promise<QuestionRecord[]> {
  const { questions, problems } = await loadBankFiles(dir);
  if (problems.length > 0) {
    throw new Error(`question bank has ${problems.length} problem(s):\n` + problems.map(formatProblem).join('\n'));
  }
  return questions.map((q) => q.record);
}
