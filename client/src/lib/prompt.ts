/** A prompt as segments to render with plain text bindings: never HTML from question text. */
export type PromptSegment =
  | { kind: 'text'; parts: { code: boolean; text: string }[] }
  | { kind: 'block'; lang: string; code: string };

const FENCE = /```([\w-]*)\n?([\s\S]*?)(?:```|$)/g;

function inline(text: string): { code: boolean; text: string }[] {
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
    const before = prompt.slice(last, m.index).trim();
    if (before) out.push({ kind: 'text', parts: inline(before) });
    out.push({ kind: 'block', lang: m[1] ?? '', code: (m[2] ?? '').replace(/\n$/, '') });
    last = m.index + m[0].length;
  }
  const rest = prompt.slice(last).trim();
  if (rest) out.push({ kind: 'text', parts: inline(rest) });
  return out;
}
