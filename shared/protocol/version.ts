/** Bumped on any incompatible change to events, acks or views. Kept free of imports so the client bundle stays small. */
export const PROTOCOL_VERSION = 1;
