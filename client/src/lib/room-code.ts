import { ROOM_CODE_ALPHABET, ROOM_CODE_LENGTH } from '../../../shared/protocol/room-code.js';

/** The room-code shape without pulling zod into the phone's bundle. */
export const RoomCodeSchemaLike = new RegExp(`^[${ROOM_CODE_ALPHABET}]{${ROOM_CODE_LENGTH}}$`);

/** What a person types: lower case, spaces, look-alike letters (O for 0 is not in the alphabet). */
export function normalizeCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}
