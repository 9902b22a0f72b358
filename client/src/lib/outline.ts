import { DEFAULT_OUTLINE, isOutlineId, type OutlineId } from '../../../shared/curriculum.js';
import type { KeyValue } from './session.js';

const KEY = 'cca-quiz:outline';

/** The learner's chosen outline, shared by the practice, stats and exam pages of this browser. */
export function savedOutline(kv: KeyValue): OutlineId {
  try {
    const v = kv.getItem(KEY);
    return isOutlineId(v) ? v : DEFAULT_OUTLINE;
  } catch {
    return DEFAULT_OUTLINE;
  }
}

export function saveOutline(kv: KeyValue, id: OutlineId): void {
  try {
    kv.setItem(KEY, id);
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
}
