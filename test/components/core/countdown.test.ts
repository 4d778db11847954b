import { expect, waitUntil } from '@open-wc/testing';
import { LitElement, html } from 'lit';
import {
  CountdownController,
  countdownTickMs,
  formatWait,
  waitInMinutesFromSeconds,
} from '../../../components/core/countdown.ts';
import { place } from '../support/place.ts';

/** A clock the test moves by hand, so no test waits out real seconds. */
const clock = { nowMs: Date.parse('2025-01-01T00:00:00Z') };

/** Ticks this often in the tests: time moves only when the test says so. */
const testTickMs = 5;

/** Shows a countdown's seconds the way an element would, and counts the ends. */
class CountdownProbe extends LitElement {
  ends = 0;
  readonly countdown = new CountdownController(this, {
    onEnd: () => (this.ends += 1),
    now: () => clock.nowMs,
    tickMs: testTickMs,
  });

  override render() {
    return html`<p>${this.countdown.seconds}</p>`;
  }
}
customElements.define('ab-test-countdown-probe', CountdownProbe);

function shown(el: CountdownProbe): string {
  return el.shadowRoot!.querySelector('p')!.textContent!;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function probe(): Promise<CountdownProbe> {
  return place<CountdownProbe>(html`<ab-test-countdown-probe></ab-test-countdown-probe>`);
}

describe('CountdownController', () => {
  it('shows nothing to wait for until a deadline is set', async () => {
    const el = await probe();
    expect(shown(el)).to.equal('0');
    expect(el.countdown.untilMs).to.equal(0);
    expect(el.countdown.running).to.be.false;
  });

  describe('when a deadline is set', () => {
    it('counts down visibly, second by second, and stops at zero', async () => {
      const el = await probe();
      el.countdown.untilMs = clock.nowMs + 3000;
      await el.updateComplete;
      expect(shown(el)).to.equal('3');
      expect(el.countdown.running).to.be.true;

      for (const expected of ['2', '1']) {
        clock.nowMs += 1000;
        await waitUntil(() => shown(el) === expected, `shows ${expected}`);
        expect(el.ends).to.equal(0);
      }
      clock.nowMs += 1000;
      await waitUntil(() => shown(el) === '0', 'shows 0');
      expect(el.ends).to.equal(1);
      expect(el.countdown.running).to.be.false;
      expect(el.countdown.untilMs).to.equal(0);

      // Ended for good: later time neither goes below zero nor ends it again.
      clock.nowMs += 5000;
      await sleep(testTickMs * 4);
      expect(shown(el)).to.equal('0');
      expect(el.ends).to.equal(1);
    });

    it('rounds a part of a second up, so the last second still shows 1', async () => {
      const el = await probe();
      el.countdown.untilMs = clock.nowMs + 2001;
      await el.updateComplete;
      expect(shown(el)).to.equal('3');
      clock.nowMs += 2000;
      await waitUntil(() => shown(el) === '1');
      expect(el.ends).to.equal(0);
      clock.nowMs += 1;
      await waitUntil(() => el.ends === 1);
    });

    it('stops without ending when the deadline is taken away', async () => {
      const el = await probe();
      el.countdown.untilMs = clock.nowMs + 2000;
      el.countdown.untilMs = 0;
      await el.updateComplete;
      expect(shown(el)).to.equal('0');
      clock.nowMs += 3000;
      await sleep(testTickMs * 4);
      expect(el.ends).to.equal(0);
    });

    it('takes a deadline in the past, or an unreadable one, as none', async () => {
      const el = await probe();
      el.countdown.untilMs = clock.nowMs - 1000;
      expect(el.countdown.running).to.be.false;
      expect(el.countdown.seconds).to.equal(0);
      el.countdown.untilMs = Date.parse('not a date');
      expect(el.countdown.untilMs).to.equal(0);
      expect(el.countdown.seconds).to.equal(0);
      await sleep(testTickMs * 4);
      expect(el.ends).to.equal(0);
    });
  });

  describe('when the host leaves the page', () => {
    it('pauses, and ends once it is back', async () => {
      const el = await probe();
      const parent = el.parentElement!;
      el.countdown.untilMs = clock.nowMs + 1000;
      el.remove();
      clock.nowMs += 2000;
      await sleep(testTickMs * 4);
      expect(el.ends).to.equal(0);
      parent.append(el);
      await waitUntil(() => el.ends === 1);
      expect(shown(el)).to.equal('0');
    });
  });

  it('refreshes twice a second by default, so no second is skipped', () => {
    expect(countdownTickMs).to.be.below(1000);
  });
});

describe('formatWait', () => {
  it('counts short waits in seconds and long ones in whole minutes, rounded up', () => {
    expect(formatWait(42, 'en')).to.equal('in 42 seconds');
    expect(formatWait(1, 'en')).to.equal('in 1 second');
    expect(formatWait(waitInMinutesFromSeconds - 1, 'en')).to.equal('in 119 seconds');
    expect(formatWait(waitInMinutesFromSeconds, 'en')).to.equal('in 2 minutes');
    expect(formatWait(waitInMinutesFromSeconds + 1, 'en')).to.equal('in 3 minutes');
    expect(formatWait(900, 'de')).to.equal('in 15 Minuten');
  });
});
