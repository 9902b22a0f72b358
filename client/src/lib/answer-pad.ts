import type { QuestionType } from '../../../shared/question.js';

/** Shape and colour per choice: never colour alone (colour-blind players, projector washout). */
export const CHOICE_STYLES = [
  { shape: '▲', name: 'triangle', colour: '#b91c1c' },
  { shape: '◆', name: 'diamond', colour: '#1d4ed8' },
  { shape: '●', name: 'circle', colour: '#047857' },
  { shape: '■', name: 'square', colour: '#7e22ce' },
  { shape: '★', name: 'star', colour: '#9a3412' },
  { shape: '⬟', name: 'pentagon', colour: '#0e7490' },
] as const;

/** Choices are numbered 1-6 on every screen (the keys, the reveal bars, the debrief): never lettered. */
export const choiceNumber = (i: number): string => String(i + 1);

/**
 * The next selection after a pick. Single choice and true/false send at once (fast on a phone);
 * multiple choice toggles until the player confirms.
 */
export function pickChoice(type: QuestionType, choiceCount: number, selected: readonly number[], index: number): { selected: number[]; send: number[] | null } {
  if (index < 0 || index >= choiceCount) return { selected: [...selected], send: null };
  if (type !== 'multiple') return { selected: [index], send: [index] };
  const next = selected.includes(index) ? selected.filter((i) => i !== index) : [...selected, index].sort((a, b) => a - b);
  return { selected: next, send: null };
}

export type KeyIntent = { kind: 'buzz' } | { kind: 'pick'; index: number } | { kind: 'confirm' } | null;

/** Keyboard play: Space buzzes, 1-6 pick a choice, Enter confirms. */
export function keyIntent(key: string): KeyIntent {
  if (key === ' ' || key === 'Spacebar') return { kind: 'buzz' };
  if (key === 'Enter') return { kind: 'confirm' };
  if (/^[1-6]$/.test(key)) return { kind: 'pick', index: Number(key) - 1 };
  return null;
}
