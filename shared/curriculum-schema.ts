import { z } from 'zod';
import { DEFAULT_OUTLINE, DOMAIN_2025_IDS, OUTLINE_IDS } from './curriculum.js';
import { DOMAIN_IDS } from './domains.js';

/** Which exam outline a room, a practice session, an exam or a report follows. */
export const OutlineIdSchema = z.enum(OUTLINE_IDS);
export const OutlineParamSchema = OutlineIdSchema.default(DEFAULT_OUTLINE);
/** A domain id of either outline; callers check it belongs to the chosen one (see `domainsOfOutline`). */
export const OutlineDomainIdSchema = z.enum([...DOMAIN_IDS, ...DOMAIN_2025_IDS]);
