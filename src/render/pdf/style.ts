/** Sizes and colours of the PDF. Colour only repeats what the words say. */
import type { ParagraphStyle, Tone } from '../content/blocks.js';

/** Point sizes: a dense report in DejaVu Sans Condensed stays legible at these. */
export const SIZE = {
  title: 17,
  h1: 13,
  h2: 10.5,
  h3: 8.5,
  body: 7.8,
  small: 6.9,
  table: 6.6,
  furniture: 6.5,
} as const;

export const COLOUR = {
  text: '#000000',
  muted: '#555555',
  rule: '#b0b0b0',
  headerFill: '#e8e8e8',
  quoteFill: '#f2f2f2',
  link: '#0b4f9c',
} as const;

const TONES: Readonly<Record<Tone, string>> = { good: '#1a7f37', partial: '#9a4b00', bad: '#b42318', neutral: '#555555' };

export function toneColour(tone: Tone): string {
  return TONES[tone];
}

export function paragraphSize(style: ParagraphStyle | undefined): number {
  return style === 'small' || style === 'muted' ? SIZE.small : SIZE.body;
}

export function paragraphColour(style: ParagraphStyle | undefined): string {
  if (style === 'muted') return COLOUR.muted;
  if (style === 'warn') return TONES.partial;
  if (style === 'bad') return TONES.bad;
  return COLOUR.text;
}
