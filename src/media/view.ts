// What templates get of a picture: its URLs (one per stored size, for srcset), the intrinsic size of the default
// source (width/height attributes, so the page does not jump while it loads) and the alt text in the page's
// language, falling back to the other language's text (marked with its language) when that one is empty.
import { isGermanLocale, type Lang } from '../i18n/languages.js';
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
  altDe: string;
  altEn: string;
  thumb: { src: string; width: number; height: number };
}

export function mediaUrl(id: number, size: Pick<MediaSize, 'name' | 'format'>): string {
  return `/media/${id}-${size.name}.${size.format}`;
}

/** The alt text in the page's language, else the German one (else the English one), marked with its language. */
function altOf(m: MediaItem, lang: Lang): { alt: string; altLang: string | null } {
  const own = lang === 'en' ? m.altEn : isGermanLocale(lang) ? m.altDe : '';
  if (own) return { alt: own, altLang: lang === 'de-x-ls' ? 'de' : null };
  const [other, otherLang] = m.altDe && lang !== 'de' ? [m.altDe, 'de'] : [m.altEn, 'en'];
  return { alt: other, altLang: other ? otherLang : null };
}

/** A photo or the floor plan; `preferred` is the width of the size used as src (the one closest above). */
export function pictureView(m: MediaItem, lang: Lang, preferred = 800): PictureView {
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
    ...altOf(m, lang),
    altDe: m.altDe,
    altEn: m.altEn,
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
