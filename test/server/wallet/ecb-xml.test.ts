import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  ecbDaysMax,
  ecbRatesPerDayMax,
  ecbXmlLengthMax,
  EcbXmlError,
  parseEcbXml,
} from '../../../server/wallet/ecb-xml.ts';
import { currencyCodes } from '../../../server/wallet/currencies.ts';
import { bundledRatesUrl } from '../../../server/wallet/rates.ts';

const daily = readFileSync(new URL('../../fixtures/wallet/eurofxref-daily.xml', import.meta.url),
  'utf8');

/** The daily fixture with its outer Cube's content replaced. */
function withDays(inner: string): string {
  return daily.replace(/<Cube>[\s\S]*<\/Cube>\n<\/gesmes:Envelope>/,
    `<Cube>${inner}</Cube>\n</gesmes:Envelope>`);
}

/** `count` consecutive days from 1970-01-01, each with one rate. */
function daysXml(count: number): string {
  const days: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const date = new Date(Date.UTC(1970, 0, 1) + index * 86_400_000).toISOString().slice(0, 10);
    days.push(`<Cube time="${date}"><Cube currency="USD" rate="1.1"/></Cube>`);
  }
  return withDays(days.join('\n'));
}

/** One day with `count` different currencies. */
function ratesXml(count: number): string {
  const codes = currencyCodes.filter((code) => code !== 'EUR').slice(0, count);
  assert.equal(codes.length, count);
  const rates = codes.map((code) => `<Cube currency="${code}" rate="1.5"/>`).join('');
  return withDays(`<Cube time="2026-02-27">${rates}</Cube>`);
}

describe('reading ECB reference rates XML', () => {
  it('reads the daily format: a date, rates as exact strings, unknown codes skipped', () => {
    const document = parseEcbXml(daily);
    assert.deepEqual(document, {
      days: [{ date: '2026-02-27', rates: [
        { currency: 'USD', rate: '1.1709' }, { currency: 'JPY', rate: '173.93' },
        { currency: 'GBP', rate: '0.87521' }, { currency: 'CHF', rate: '0.914' },
      ] }],
      skippedCurrencies: ['HRK'],
    });
  });

  it('reads the bundled snapshot: five months of business days, newest first', () => {
    const { days, skippedCurrencies } = parseEcbXml(readFileSync(bundledRatesUrl, 'utf8'));
    assert.deepEqual(skippedCurrencies, []);
    assert.equal(days.length, 105);
    assert.equal(days[0]?.date, '2026-02-27');
    assert.equal(days.at(-1)?.date, '2025-10-01');
    const dates = days.map((day) => day.date);
    assert.deepEqual(dates, [...dates].sort().reverse());
    for (const day of days) {
      assert.equal(day.rates.length, 29, day.date);
      const weekday = new Date(`${day.date}T12:00:00Z`).getUTCDay();
      assert.ok(weekday >= 1 && weekday <= 5, `${day.date} is a business day`);
    }
    assert.ok(!dates.includes('2025-12-25') && !dates.includes('2026-01-01'), 'TARGET holidays');
  });

  const refused: [label: string, xml: string, message: RegExp][] = [
    ['text that is not XML', 'rates: 1.08', /not well-formed/],
    ['an unclosed element', daily.replace('</gesmes:Envelope>', ''), /not well-formed/],
    ['another root', '<rates><Cube/></rates>', /no gesmes:Envelope/],
    ['an envelope without Cube', daily.replace(/<Cube>[\s\S]*<\/Cube>/, ''), /no Cube/],
    ['a day without a date', daily.replace(' time="2026-02-27"', ''), /bad time/],
    ['an impossible date', daily.replace('2026-02-27', '2026-02-30'), /bad time/],
    ['a day without rates', withDays('<Cube time="2026-02-27"></Cube>'), /no rates/],
    ['a rate with a comma', daily.replace('1.1709', '1,1709'), /USD has a bad rate/],
    ['a negative rate', daily.replace('1.1709', '-1.1709'), /USD has a bad rate/],
    ['a rate in exponent form', daily.replace('1.1709', '1.17e0'), /USD has a bad rate/],
    ['a rate without a currency', daily.replace('currency="USD" ', ''), /without a currency/],
    ['a currency twice', daily.replace('"JPY"', '"USD"'), /USD twice/],
    ['a date twice', withDays('<Cube time="2026-02-27"><Cube currency="USD" rate="1"/></Cube>' +
      '<Cube time="2026-02-27"><Cube currency="USD" rate="1"/></Cube>'), /appears twice/],
  ];
  for (const [label, xml, message] of refused) {
    it(`refuses ${label}, whole`, () => {
      assert.throws(() => parseEcbXml(xml), (error: unknown) =>
        error instanceof EcbXmlError && message.test(error.message));
    });
  }

  it(`reads ${ecbRatesPerDayMax} rates in a day and refuses ${ecbRatesPerDayMax + 1}`, () => {
    assert.equal(parseEcbXml(ratesXml(ecbRatesPerDayMax)).days[0]?.rates.length, ecbRatesPerDayMax);
    assert.throws(() => parseEcbXml(ratesXml(ecbRatesPerDayMax + 1)), /more than 64 rates/);
  });

  it(`reads ${ecbDaysMax} days and refuses ${ecbDaysMax + 1}`, () => {
    assert.equal(parseEcbXml(daysXml(ecbDaysMax)).days.length, ecbDaysMax);
    assert.throws(() => parseEcbXml(daysXml(ecbDaysMax + 1)), /more than 20000 days/);
  });

  it(`reads a document of ${ecbXmlLengthMax} characters and refuses one more`, () => {
    const padded = daily.replace('<Cube>', `<Cube>${' '.repeat(ecbXmlLengthMax - daily.length)}`);
    assert.equal(padded.length, ecbXmlLengthMax);
    assert.equal(parseEcbXml(padded).days.length, 1);
    assert.throws(() => parseEcbXml(`${padded} `), /larger than/);
  });
});
