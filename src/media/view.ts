// What templates get of a picture: its URLs (one per stored size, for srcset), the intrinsic size of the default
// source (width/height attributes, so the page does not jump while it loads) and the alt text in the page's
// language: its translation (a house text of kind 'media', src/house-texts), else the house language's text, marked
// with its language (lang="de").
import type { HouseTexts } from '../house-texts/service.js';
import type { MediaItem, MediaSize } from './repository.js';

export interface PictureView {
  id: number;
  src: string;
  srcset: string;
  width: number;
  height: number;
  alt: string;
  /** The language of `alt` when it is not the page's. */
  altLang: string | null;
  /** The house language's text (the staff form's value). */
  altDe: string;
  thumb: { src: string; width: number; height: number };
}

export function mediaUrl(id: number, size: Pick<MediaSize, 'name' | 'format'>): string {
  return `/media/${id}-${size.name}.${size.format}`;
}

/** The alt text in the reader's language (the translation, else the house language's text, marked with its language). */
export function altIn(m: MediaItem, texts: HouseTexts): { alt: string; altLang: string | null } {
  const shown = texts.text('media', m.id, 'alt');
  // A picture uploaded since the texts were read (or without a description) has only its own column to go by.
  if (!shown.text) return { alt: m.altDe, altLang: m.altDe && texts.lang !== texts.sourceLang ? texts.sourceLang : null };
  return { alt: shown.text, altLang: shown.lang !== texts.lang ? shown.lang : null };
}

/** A photo or the floor plan; `preferred` is the width of the size used as src (the one closest above). */
export function pictureView(m: MediaItem, texts: HouseTexts, preferred = 800): PictureView {
  const widths = m.sizes.filter((s) => /^\d+$/.test(s.name));
  const sizes = widths.length ? widths : m.sizes;
  const main = sizes.find((s) => Number(s.name) >= preferred) ?? sizes[sizes.length - 1]!;
  const small = sizes[0]!;
  return {
    id: m.id,
    src: mediaUrl(m.id, main),
    srcset: sizes.map((s) => `${mediaUrl(m.id, s)} ${s.width}w`).join(', '),
    width: main.width,
    height: main.height,
    ...altIn(m, texts),
    altDe: m.altDe,
    thumb: { src: mediaUrl(m.id, small), width: small.width, height: small.height },
  };
}

/** The header's logo and the favicon rendered from it. */
export function logoView(m: MediaItem) {
  const logo = m.sizes.find((s) => s.name === 'logo');
  const icon = m.sizes.find((s) => s.name === 'icon');
  return {
    id: m.id,
    src: logo ? mediaUrl(m.id, logo) : '',
    width: logo?.width ?? 0,
    height: logo?.height ?? 0,
    favicon: icon ? mediaUrl(m.id, icon) : '',
  };
}
