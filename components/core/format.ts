/**
 * @packageDocumentation
 * Formatting for people, on `Intl`: numbers, money, dates, relative times and lists, in the
 * locale of the element that shows them.
 *
 * Formatters are built once per locale and options and reused, since building one costs far
 * more than using it. Money amounts stay decimal strings all the way to `Intl`, which formats
 * strings exactly, so no amount passes through a binary `number`.
 */

/** A money amount as the API sends it: a decimal string in major units and an ISO 4217 code. */
export interface Money {
  /** Decimal string in major units, e.g. `"12.34"`, `"-5"`, `"1000"` for JPY. */
  amount: string;
  /** ISO 4217 currency code, e.g. `"EUR"`. */
  currency: string;
}

/** Most formatters kept per kind; past this the oldest is dropped, so memory stays bounded. */
const cachedFormattersMax = 64;

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
const listFormats = new Map<string, Intl.ListFormat>();

function cached<F>(cache: Map<string, F>, key: string, build: () => F): F {
  const hit = cache.get(key);
  if (hit) return hit;
  const built = build();
  if (cache.size >= cachedFormattersMax) cache.delete(cache.keys().next().value as string);
  cache.set(key, built);
  return built;
}

function keyOf(locale: string | undefined, options: object): string {
  return `${locale ?? ''}|${JSON.stringify(options)}`;
}

/**
 * The language an element speaks: the nearest `lang` attribute on it or its ancestors (across
 * shadow roots), else `undefined`, which lets `Intl` use the browser's language.
 */
export function localeOf(element: Element): string | undefined {
  let node: Node | null = element;
  while (node) {
    if (node instanceof Element) {
      const lang = node.getAttribute('lang');
      if (lang) return lang;
    }
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return undefined;
}

/** A number (or an exact decimal string) for display, e.g. `1,234.5`. */
export function formatNumber(
  value: number | bigint | string,
  options: Intl.NumberFormatOptions = {},
  locale?: string,
): string {
  const format = cached(numberFormats, keyOf(locale, options), () => {
    return new Intl.NumberFormat(locale, options);
  });
  // Intl formats decimal strings exactly; the cast is only for older `lib` typings.
  return format.format(value as number);
}

/** A money amount for display, e.g. `€12.34` or `-¥1,000`. The amount is never rounded. */
export function formatMoney(
  money: Money,
  options: Omit<Intl.NumberFormatOptions, 'style' | 'currency'> = {},
  locale?: string,
): string {
  const currencyOptions = { ...options, style: 'currency', currency: money.currency } as const;
  return formatNumber(money.amount, currencyOptions, locale);
}

/** A date (a `Date`, epoch milliseconds or an ISO 8601 string), medium date style by default. */
export function formatDate(
  value: Date | number | string,
  options: Intl.DateTimeFormatOptions = { dateStyle: 'medium' },
  locale?: string,
): string {
  const format = cached(dateFormats, keyOf(locale, options), () => {
    return new Intl.DateTimeFormat(locale, options);
  });
  return format.format(typeof value === 'string' ? new Date(value) : value);
}

/** `value` `unit`s from now, e.g. `in 42 seconds` or `3 days ago`. */
export function formatRelativeTime(
  value: number,
  unit: Intl.RelativeTimeFormatUnit,
  options: Intl.RelativeTimeFormatOptions = { numeric: 'auto' },
  locale?: string,
): string {
  const format = cached(relativeFormats, keyOf(locale, options), () => {
    return new Intl.RelativeTimeFormat(locale, options);
  });
  return format.format(value, unit);
}

/** Seconds in each unit `formatTimeFromNow` may pick, largest first. */
const unitSeconds: ReadonlyArray<readonly [Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/**
 * How far `target` is from `nowMs`, in the largest whole unit that fits: `in 5 minutes`,
 * `yesterday`, `2 months ago`.
 */
export function formatTimeFromNow(
  target: Date | number | string,
  nowMs: number = Date.now(),
  locale?: string,
): string {
  const targetMs = new Date(target).getTime();
  const deltaSeconds = Math.round((targetMs - nowMs) / 1000);
  const [unit, seconds] = unitSeconds.find(([, size]) => Math.abs(deltaSeconds) >= size) ?? [
    'second',
    1,
  ];
  return formatRelativeTime(Math.trunc(deltaSeconds / seconds), unit, { numeric: 'auto' }, locale);
}

/** Items joined as a sentence would: `TOTP, SMS, and email` (a conjunction by default). */
export function formatList(
  items: Iterable<string>,
  options: Intl.ListFormatOptions = { type: 'conjunction' },
  locale?: string,
): string {
  const format = cached(listFormats, keyOf(locale, options), () => {
    return new Intl.ListFormat(locale, options);
  });
  return format.format(items);
}
