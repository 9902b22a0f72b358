/** A prompt as segments to render with plain text bindings: never HTML from question text. */
export type PromptSegment =
  | { kind: 'text'; parts: { code: boolean; text: string }[] }
  | { kind: 'block'; lang: string; code: string };

const LIST_ITEM = /^\s*(?:[-*•]|\d+[.)])\s/;

/**
 * Bank prompts are hard-wrapped in YAML; on screen a single line break is a space, a blank line a
 * new paragraph, and list items keep their own lines.
 */
export function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((para) =>
      para
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .reduce((acc, line) => (acc === '' ? line : LIST_ITEM.test(line) ? `${acc}\n${line}` : `${acc} ${line}`), ''),
    )
    .filter(Boolean);
}

const FENCE = /```([\w-]*)\n?([\s\S]*?)(?:```|$)/g;

/** Inline `code` spans of a line of text (choices use it too). */
export function inline(text: string): { code: boolean; text: string }[] {
  return text
    .split(/(`[^`\n]+`)/g)
    .filter((t) => t.length > 0)
    .map((t) => (t.startsWith('`') && t.endsWith('`') && t.length > 2 ? { code: true, text: t.slice(1, -1) } : { code: false, text: t }));
}

/** Splits text and fenced code blocks; an unclosed fence (a prompt still being revealed) runs to the end. */
export function parsePrompt(prompt: string): PromptSegment[] {
  const out: PromptSegment[] = [];
  let last = 0;
  for (const m of prompt.matchAll(FENCE)) {
    for (const para of paragraphs(prompt.slice(last, m.index))) out.push({ kind: 'text', parts: inline(para) });
    out.push({ kind: 'block', lang: m[1] ?? '', code: (m[2] ?? '').replace(/\n$/, '') });
    last = m.index + m[0].length;
  }
  for (const para of paragraphs(prompt.slice(last))) out.push({ kind: 'text', parts: inline(para) });
  return out;
}
