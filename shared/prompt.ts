/** Words of a prompt for the Buzz-in reveal; a fenced code block counts as one word so YAML appears whole. */
const WORD = /```[\s\S]*?```|\S+/g;

export function countPromptWords(prompt: string): number {
  return prompt.match(WORD)?.length ?? 0;
}

/** The prompt up to and including its `words`-th word, formatting kept. */
export function revealedPrompt(prompt: string, words: number): string {
  if (words <= 0) return '';
  let seen = 0;
  for (const m of prompt.matchAll(WORD)) {
    if (++seen === words) return prompt.slice(0, m.index + m[0].length);
  }
  return prompt;
}
