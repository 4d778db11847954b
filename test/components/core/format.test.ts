import { expect, fixture, html } from '@open-wc/testing';
import {
  formatDate,
  formatList,
  formatMoney,
  formatNumber,
  formatRelativeTime,
  formatTimeFromNow,
  localeOf,
} from '../../../components/core/format.ts';
import { place } from '../support/place.ts';

describe('format', () => {
  describe('formatNumber', () => {
    it('groups digits for the locale', () => {
      expect(formatNumber(1234.5, {}, 'en-US')).to.equal('1,234.5');
      expect(formatNumber(1234.5, {}, 'de-DE')).to.equal('1.234,5');
    });

    it('formats a decimal string exactly, beyond what a number can hold', () => {
      expect(formatNumber('12345678901234567.89', { maximumFractionDigits: 2 }, 'en-US')).to.equal(
        '12,345,678,901,234,567.89',
      );
    });
  });

  describe('formatMoney', () => {
    it('shows the currency and its usual decimals', () => {
      expect(formatMoney({ amount: '12.3', currency: 'EUR' }, {}, 'en-US')).to.equal('€12.30');
      expect(formatMoney({ amount: '1000', currency: 'JPY' }, {}, 'en-US')).to.equal('¥1,000');
      expect(formatMoney({ amount: '-5', currency: 'USD' }, {}, 'en-US')).to.equal('-$5.00');
    });

    it('does not lose cents to binary floating point', () => {
      expect(formatMoney({ amount: '0.10', currency: 'EUR' }, {}, 'en-US')).to.equal('€0.10');
      expect(formatMoney({ amount: '90071992547409.93', currency: 'USD' }, {}, 'en-US')).to.equal(
        '$90,071,992,547,409.93',
      );
    });
  });

  describe('formatDate', () => {
    it('reads ISO strings and honours the options', () => {
      const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeZone: 'UTC' };
      expect(formatDate('2025-03-04T10:00:00Z', options, 'en-US')).to.equal('Mar 4, 2025');
      expect(formatDate(Date.UTC(2025, 2, 4), options, 'en-GB')).to.equal('4 Mar 2025');
    });
  });

  describe('formatRelativeTime and formatTimeFromNow', () => {
    it('says how far away a time is in the largest whole unit', () => {
      const nowMs = Date.parse('2025-03-04T10:00:00Z');
      const always = { numeric: 'always' } as const;
      expect(formatRelativeTime(42, 'second', always, 'en-US')).to.equal('in 42 seconds');
      expect(formatTimeFromNow(nowMs + 5 * 60_000, nowMs, 'en-US')).to.equal('in 5 minutes');
      expect(formatTimeFromNow(nowMs - 24 * 3600_000, nowMs, 'en-US')).to.equal('yesterday');
      const sixtyFiveDaysMs = 65 * 24 * 3600_000;
      expect(formatTimeFromNow(nowMs - sixtyFiveDaysMs, nowMs, 'en-US')).to.equal('2 months ago');
      expect(formatTimeFromNow(nowMs, nowMs, 'en-US')).to.equal('now');
    });
  });

  describe('formatList', () => {
    it('joins items as a sentence would', () => {
      const methods = ['TOTP', 'SMS', 'email'];
      expect(formatList(methods, undefined, 'en-US')).to.equal('TOTP, SMS, and email');
      expect(formatList(['TOTP', 'SMS'], { type: 'disjunction' }, 'en-US')).to.equal('TOTP or SMS');
    });
  });

  describe('localeOf', () => {
    it('finds the nearest lang, across shadow roots', async () => {
      const outer = await place<HTMLDivElement>(html`<div lang="fr-CA"><span></span></div>`);
      const host = outer.querySelector('span')!;
      const inner = host.attachShadow({ mode: 'open' });
      inner.innerHTML = '<b></b>';
      expect(localeOf(inner.querySelector('b')!)).to.equal('fr-CA');
      const bare = document.createElement('i');
      expect(localeOf(bare)).to.equal(undefined);
    });
  });
});
