import { randomInt } from 'node:crypto';

/**
 * One seed per `npm test` run (test/run.mjs draws it, prints it once and passes it to every file as
 * FUZZ_SEED); a file run on its own without FUZZ_SEED draws its own. Replay with FUZZ_SEED=<seed>.
 */
export const FUZZ_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) >>> 0 : randomInt(2 ** 31);

/** Keys that name Object.prototype members: every id and string field is sometimes one of them. */
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupSetter__'] as const;
