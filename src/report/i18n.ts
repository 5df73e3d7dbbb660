/**
 * The language of every output a person reads (PDF, HTML, the CLI summary):
 * one translator per locale over the one catalog of user-facing strings
 * (`ui-strings.ts`, English, and its French twin `ui-strings.fr.ts`), in the
 * shape of Lighthouse's UIStrings: ICU MessageFormat messages, formatted by
 * intl-messageformat, with plurals, numbers and dates through Intl and luxon.
 *
 * The locale is always given, never read from the machine, so the same report
 * and locale give the same bytes on every machine (the ICU data is Node's own).
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { DateTime } from 'luxon';
import { UIStrings, type UIStringKey } from './ui-strings.js';
import { UIStringsFr } from './ui-strings.fr.js';

export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

export type MessageValues = Record<string, string | number>;

const CATALOGS: Readonly<Record<Locale, Readonly<Record<UIStringKey, string>>>> = { en: UIStrings, fr: UIStringsFr };

export interface I18n {
  locale: Locale;
  /** The message `key` in this locale, its `{placeholders}` filled from `values`. */
  t(key: UIStringKey, values?: MessageValues): string;
  /** 1234567 → "1,234,567" / "1 234 567". */
  count(n: number): string;
  /** One decimal at most: 57.66 → "57.7" / "57,7"; a value that is not finite reads "n/a". */
  decimal(n: number): string;
  /** A calendar day (ISO date or instant, read in `zone`): "1 April 2026" / "1 avril 2026". */
  day(iso: string, zone?: string): string;
  /** An instant to the minute with its zone: "1 July 2026, 08:00 UTC" / "1 juillet 2026, 08:00 UTC". */
  instant(iso: string, zone?: string): string;
  /** "a, b and c" / "a, b et c"; with `or`: "a, b or c" / "a, b ou c". */
  list(items: readonly string[], type?: 'and' | 'or'): string;
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

const cache = new Map<Locale, I18n>();

export function createI18n(locale: Locale = DEFAULT_LOCALE): I18n {
  let i18n = cache.get(locale);
  if (i18n === undefined) {
    i18n = buildI18n(locale);
    cache.set(locale, i18n);
  }
  return i18n;
}

function buildI18n(locale: Locale): I18n {
  const catalog = CATALOGS[locale];
  const compiled = new Map<UIStringKey, IntlMessageFormat>();
  const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const decimals = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const lists = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' });
  const alternatives = new Intl.ListFormat(locale, { style: 'long', type: 'disjunction' });
  const plain = new Map<UIStringKey, string>();
  return {
    locale,
    t(key, values) {
      // Keys are typed, so only a value outside the model's enums (a report
      // edited by hand: `claimVerdict.bogus`) reaches a missing key: it is
      // shown as given instead of failing the render.
      if (!Object.hasOwn(catalog, key)) return key.slice(key.indexOf('.') + 1);
      if (values === undefined) {
        let text = plain.get(key);
        if (text === undefined) {
          text = format(compiledMessage(key), {});
          plain.set(key, text);
        }
        return text;
      }
      return format(compiledMessage(key), values);
    },
    count: (n) => numbers.format(n),
    decimal: (n) => (Number.isFinite(n) ? decimals.format(Math.round(n * 10) / 10) : catalog['common.notAvailable']),
    // A value that is no date (a hand-edited report) is shown as given.
    day: (iso, zone = 'UTC') => dated(iso, zone, (d) => d.setLocale(locale).toFormat('d LLLL yyyy')),
    instant: (iso, zone = 'UTC') => dated(iso, zone, (d) => `${d.setLocale(locale).toFormat('d LLLL yyyy, HH:mm')} ${zone}`),
    list: (items, type = 'and') => (type === 'or' ? alternatives : lists).format(items),
  };

  function compiledMessage(key: UIStringKey): IntlMessageFormat {
    let message = compiled.get(key);
    if (message === undefined) {
      message = new IntlMessageFormat(catalog[key], locale, undefined, { ignoreTag: true });
      compiled.set(key, message);
    }
    return message;
  }
}

function dated(iso: string, zone: string, show: (date: DateTime) => string): string {
  try {
    const date = DateTime.fromISO(iso, { zone });
    return date.isValid ? show(date) : iso;
  } catch {
    // luxon throws instead when Settings.throwOnInvalid is set (the config loader does).
    return iso;
  }
}

function format(message: IntlMessageFormat, values: MessageValues): string {
  const out = message.format(values);
  if (typeof out !== 'string') throw new Error(`a UI string formatted to ${typeof out}, not text`);
  return out;
}
