import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import type { Locator } from 'playwright-core';

// jsqr ships CommonJS with `export default`: under Node ESM the function is the module's `default`.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule }).default ?? jsQRModule) as unknown as (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

/** Reads the QR code an element shows, as a phone camera would: from its pixels, not its markup. */
export async function readQr(image: Locator): Promise<string | null> {
  const png = PNG.sync.read(await image.screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}
