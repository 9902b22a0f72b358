/** Unambiguous characters only: no 0/O, 1/I/L, U. 30^6 ≈ 7.3e8 codes. Plain constants, no zod, for the client. */
export const ROOM_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ROOM_CODE_LENGTH = 6;
