// Turning an upload into our own pictures: the real type is read from the content (JPEG, PNG or WebP, nothing
// else), absurd dimensions are refused before decoding, the picture is turned upright by its EXIF orientation and
// re-encoded at a few sizes without any metadata. The upload's own bytes are never kept. Its file name is never read.
import { createHash } from 'node:crypto';
import type { Metadata, OutputInfo } from 'sharp';
import type { MediaFormat, MediaKind } from '../db/schema.js';

/** The largest upload (bytes) multer accepts; also stated on the forms. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Width × height an upload may have at most (a 40-megapixel camera picture fits; a decompression bomb does not). */
export const MAX_INPUT_PIXELS = 50_000_000;
/** Fewer pixels on a side than this is not a picture anyone can see. */
export const MIN_SIDE = 16;
/** The types read from the content that we accept. */
export const ACCEPTED_FORMATS = ['jpeg', 'png', 'webp'] as const;
/** The widths of photos and the floor plan (srcset); a smaller upload is not enlarged. */
export const PHOTO_WIDTHS = [320, 800, 1600] as const;
/** Height of the logo in the header (at twice the CSS height, for sharp screens), and the favicon's side. */
export const LOGO_HEIGHT = 96;
export const ICON_SIDE = 64;

export type ImageRefusal = 'type' | 'decode' | 'dimensions';

export interface Variant {
  name: string;
  format: MediaFormat;
  width: number;
  height: number;
  etag: string;
  bytes: Buffer;
}

export interface ProcessedImage {
  width: number;
  height: number;
  variants: Variant[];
}

export type ProcessResult = { ok: true; image: ProcessedImage } | { ok: false; code: ImageRefusal };

const OPTIONS = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'truncated' as const, sequentialRead: true };

function variant(name: string, format: MediaFormat, out: { data: Buffer; info: OutputInfo }): Variant {
  return {
    name,
    format,
    width: out.info.width,
    height: out.info.height,
    etag: createHash('sha256').update(out.data).digest('base64url').slice(0, 27),
    bytes: out.data,
  };
}

/**
 * One picture at a time: a 50-megapixel decode takes a few hundred MB, and several staff uploading at once must
 * not add that up (as the password hashes are queued). The next upload waits for the one before.
 */
let queue: Promise<unknown> = Promise.resolve();

/** sharp (libvips, ~25 MB resident) is loaded at the first upload, not at start: most servers rarely see one. */
let sharpModule: Promise<typeof import('sharp')> | undefined;
const loadSharp = async () => (await (sharpModule ??= import('sharp'))).default;

/** Reads, checks and re-encodes an upload for a picture of `kind`. Never throws for bad input: it says why. */
export function processImage(input: Buffer, kind: MediaKind): Promise<ProcessResult> {
  const run = queue.then(() => processNow(input, kind));
  queue = run.catch(() => undefined);
  return run;
}

async function processNow(input: Buffer, kind: MediaKind): Promise<ProcessResult> {
  const sharp = await loadSharp();
  let meta: Metadata;
  try {
    // The header only (no pixels decoded), so the pixel limit is ours to check and to name.
    meta = await sharp(input, { ...OPTIONS, limitInputPixels: false }).metadata();
  } catch {
    return { ok: false, code: 'decode' };
  }
  if (!(ACCEPTED_FORMATS as readonly string[]).includes(meta.format ?? '')) return { ok: false, code: 'type' };
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) return { ok: false, code: 'decode' };
  if (width * height > MAX_INPUT_PIXELS || width < MIN_SIDE || height < MIN_SIDE) return { ok: false, code: 'dimensions' };
  try {
    // Decoded once, upright, in sRGB; each output is a fresh encoding (sharp writes no metadata unless asked).
    const upright = sharp(input, OPTIONS).autoOrient().toColourspace('srgb');
    const variants: Variant[] = [];
    if (kind === 'logo') {
      const logo = await upright
        .clone()
        .resize({ height: LOGO_HEIGHT, width: LOGO_HEIGHT * 6, fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 90 })
        .toBuffer({ resolveWithObject: true });
      variants.push(variant('logo', 'webp', logo));
      const icon = await upright
        .clone()
        .resize({ width: ICON_SIDE, height: ICON_SIDE, fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } })
        .png({ compressionLevel: 9 })
        .toBuffer({ resolveWithObject: true });
      variants.push(variant('icon', 'png', icon));
    } else {
      // Every width below the picture's own, and the picture's own width when it is smaller than the largest.
      const widths = PHOTO_WIDTHS.filter((w, i) => i === 0 || w <= width || PHOTO_WIDTHS[i - 1]! < width);
      for (const w of widths) {
        const out = await upright.clone().resize({ width: w, withoutEnlargement: true }).webp({ quality: 80 }).toBuffer({ resolveWithObject: true });
        variants.push(variant(String(w), 'webp', out));
      }
    }
    return { ok: true, image: { width, height, variants } };
  } catch {
    return { ok: false, code: 'decode' };
  }
}
