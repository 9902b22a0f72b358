import type { JoinLinks, RoomView } from '../../../shared/protocol/views.js';

/** The join link from the host's view (computed by the server: PUBLIC_URL, else the address the host used). */
export function joinInfo(view: RoomView): JoinLinks | null {
  return view.join ?? null;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|::1)$/i;

export function isLoopbackUrl(url: string): boolean {
  try {
    return LOOPBACK.test(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** What to print under the QR: the address without the scheme, big enough to type. */
export function displayUrl(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/$/, '');
}
