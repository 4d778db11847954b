/**
 * @module
 * Reads the European Central Bank's euro reference rates in their XML format
 * (`eurofxref-daily.xml`, `eurofxref-hist.xml`): a `gesmes:Envelope` whose `Cube` holds one
 * `Cube time="YYYY-MM-DD"` per business day, each holding `Cube currency="USD" rate="1.0823"`
 * elements: 1 EUR = `rate` units of `currency`.
 *
 * The XML is read by fast-xml-parser with attribute values kept as strings, so a rate never
 * passes through a float; each rate is then parsed by `parseRate`. A document that does not
 * have this shape is refused whole with {@link EcbXmlError}, never half-read.
 */
import { XMLParser } from 'fast-xml-parser';
import { ProblemError } from '../http/problem.ts';
import { isCurrencyCode } from './currencies.ts';
import { formatRate, parseRate } from './decimal-rate.ts';
import { isIsoDate } from './utc-dates.ts';

/** Largest document read, in characters (the full history since 1999 is about 6 MB). */
export const ecbXmlLengthMax = 16 * 1024 * 1024;

/** Most days one document may hold (the full history is about 7,000). */
export const ecbDaysMax = 20_000;

/** Most rates one day may hold (the ECB publishes about 30). */
export const ecbRatesPerDayMax = 64;

/** One published day: 1 EUR = `rate` units of each `currency`. */
export interface EcbDay {
  date: string;
  rates: { currency: string; rate: string }[];
}

/** What a document held. */
export interface EcbDocument {
  /** Newest day first, as published. */
  days: EcbDay[];
  /** Codes the ECB published that are not active ISO 4217 codes here (e.g. HRK), skipped. */
  skippedCurrencies: string[];
}

/** A document that is not the ECB's reference rate format. */
export class EcbXmlError extends Error {
  constructor(message: string) {
    super(`ECB rates XML: ${message}`);
    this.name = 'EcbXmlError';
  }
}

type XmlNode = Record<string, unknown>;

/**
 * Parses an ECB reference rate document.
 *
 * @param xml - the document's text.
 * @returns its days, newest first, with rates as normalised decimal strings.
 * @throws EcbXmlError when the text is not well-formed XML of the expected shape, is too
 *   large, or holds a bad date or rate.
 * @example
 * const { days } = parseEcbXml(readFileSync('eurofxref-hist.xml', 'utf8'));
 */
export function parseEcbXml(xml: string): EcbDocument {
  if (xml.length > ecbXmlLengthMax) {
    throw new EcbXmlError(`the document is larger than ${ecbXmlLengthMax} characters.`);
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseAttributeValue: false,
    parseTagValue: false,
    removeNSPrefix: true,
    processEntities: false,
    isArray: (name) => name === 'Cube',
  });
  let document: XmlNode;
  try {
    document = parser.parse(xml, true) as XmlNode;
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unknown reason';
    throw new EcbXmlError(`not well-formed (${reason}).`);
  }
  const envelope = asNode(document.Envelope, 'no gesmes:Envelope root');
  const outer = asNodes(envelope.Cube, 'no Cube inside the envelope');
  if (outer.length !== 1) throw new EcbXmlError('the envelope must hold exactly one Cube.');
  const dayNodes = asNodes(outer[0]?.Cube ?? [], 'no dated Cube elements');
  if (dayNodes.length > ecbDaysMax) throw new EcbXmlError(`more than ${ecbDaysMax} days.`);
  const skipped = new Set<string>();
  const seenDates = new Set<string>();
  const days = dayNodes.map((node) => {
    const day = readDay(node, skipped);
    if (seenDates.has(day.date)) throw new EcbXmlError(`${day.date} appears twice.`);
    seenDates.add(day.date);
    return day;
  });
  return { days, skippedCurrencies: [...skipped].sort() };
}

function readDay(node: XmlNode, skipped: Set<string>): EcbDay {
  const date = node['@time'];
  if (!isIsoDate(date)) throw new EcbXmlError(`a Cube has a bad time attribute.`);
  const rateNodes = asNodes(node.Cube ?? [], `${date} holds no rates`);
  if (rateNodes.length === 0) throw new EcbXmlError(`${date} holds no rates.`);
  if (rateNodes.length > ecbRatesPerDayMax) {
    throw new EcbXmlError(`${date} holds more than ${ecbRatesPerDayMax} rates.`);
  }
  const rates: EcbDay['rates'] = [];
  for (const rateNode of rateNodes) {
    const currency = rateNode['@currency'];
    const text = rateNode['@rate'];
    if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
      throw new EcbXmlError(`${date} has a rate without a currency code.`);
    }
    if (!isCurrencyCode(currency) || currency === 'EUR') {
      skipped.add(currency);
      continue;
    }
    if (rates.some((rate) => rate.currency === currency)) {
      throw new EcbXmlError(`${date} lists ${currency} twice.`);
    }
    rates.push({ currency, rate: readRate(text, date, currency) });
  }
  return { date, rates };
}

function readRate(text: unknown, date: string, currency: string): string {
  try {
    return formatRate(parseRate(text));
  } catch (error) {
    if (error instanceof ProblemError) {
      throw new EcbXmlError(`${date} ${currency} has a bad rate.`);
    }
    throw error;
  }
}

function asNode(value: unknown, message: string): XmlNode {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EcbXmlError(`${message}.`);
  }
  return value as XmlNode;
}

function asNodes(value: unknown, message: string): XmlNode[] {
  if (!Array.isArray(value)) throw new EcbXmlError(`${message}.`);
  return value.map((item) => asNode(item, message));
}
