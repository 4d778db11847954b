/**
 * @packageDocumentation
 * The month calendar of the date elements as a template function: a header with the month and
 * previous/next buttons, and a `role="grid"` table of days that follows the WAI-ARIA date
 * picker grid (one day in the tab order, arrow keys by day and week, Home/End to the ends of
 * the locale's week, PageUp/PageDown by month and, with Shift, by year).
 *
 * It holds no state: the element passes what to show ({@link MonthGridView}) and gets the
 * user's gestures back through one delegated listener per kind. Which day a key leads to is
 * {@link dayAfterKey}, kept apart so the element decides what a move means (focus, preview).
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import {
  addMonths,
  calendarDayMax,
  calendarDayMin,
  dateParts,
  monthGrid,
  startOfWeek,
  type EpochDay,
  type Weekday,
} from './calendar.ts';
import { formatDate } from './format.ts';
import { token } from './tokens.ts';

/** What the calendar shows. */
export interface MonthGridView {
  /** The day that has (or would get) focus; its month is the month shown. */
  focusedDay: EpochDay;
  /** The locale's first day of the week. */
  firstDay: Weekday;
  /** The locale for month, weekday and day names; `undefined` for the browser's. */
  locale: string | undefined;
  /** Today, marked with `aria-current="date"`. */
  today: EpochDay;
  /** The chosen range, or its start alone while the end is still to be chosen. */
  start: EpochDay | null;
  end: EpochDay | null;
  /** While only the start is chosen: the day under the pointer or focus, to preview the range. */
  preview: EpochDay | null;
  /** Whether a day cannot be chosen (outside `min`/`max`). */
  isUnavailable(day: EpochDay): boolean;
  /** Nothing in the calendar can be focused or used (the control is disabled). */
  disabled: boolean;
  /** Days can be looked at but not chosen (the control is read-only). */
  readonly: boolean;
  /** Accessible names of the month buttons. */
  previousMonthLabel: string;
  nextMonthLabel: string;
}

/** What the calendar reports; each gets the day concerned, from the cell's `data-day`. */
export interface MonthGridHandlers {
  /** A key went down on a day. */
  keyDown(event: KeyboardEvent, day: EpochDay): void;
  /** A day was clicked. */
  choose(day: EpochDay): void;
  /** The pointer or the focus is on a day. */
  point(day: EpochDay): void;
  /** A month button was used: `-1` back, `1` forward. */
  moveMonth(months: number): void;
}

const dayMs = 86_400_000;

/** The date in the grid's format options: UTC, so an epoch day is that date everywhere. */
const utcGregorian = { timeZone: 'UTC', calendar: 'gregory' } as const;

/**
 * The day a grid key leads to from `day`, or `null` for a key the grid does not move on. In a
 * right-to-left layout the grid is mirrored, so the left arrow moves to the next day.
 */
export function dayAfterKey(
  event: Pick<KeyboardEvent, 'key' | 'shiftKey'>,
  day: EpochDay,
  firstDay: Weekday,
  rtl: boolean,
): EpochDay | null {
  const years = event.shiftKey ? 12 : 1;
  const moves: Record<string, () => EpochDay> = {
    ArrowLeft: () => day + (rtl ? 1 : -1),
    ArrowRight: () => day + (rtl ? -1 : 1),
    ArrowUp: () => day - 7,
    ArrowDown: () => day + 7,
    Home: () => startOfWeek(day, firstDay),
    End: () => startOfWeek(day, firstDay) + 6,
    PageUp: () => addMonths(day, -years),
    PageDown: () => addMonths(day, years),
  };
  const move = moves[event.key];
  return move ? Math.min(calendarDayMax, Math.max(calendarDayMin, move())) : null;
}

/** The day a grid event happened on, from the cell's `data-day`, or `null` off the days. */
function dayOfEvent(event: Event): EpochDay | null {
  const cell = (event.target as Element).closest?.('[data-day]');
  return cell ? Number(cell.getAttribute('data-day')) : null;
}

/** The calendar: the month header and the grid of its days. */
export function renderMonthGrid(view: MonthGridView, on: MonthGridHandlers): TemplateResult {
  const { year, month } = dateParts(view.focusedDay);
  const withDay = (handle: (day: EpochDay, event: Event) => void) => (event: Event) => {
    const day = dayOfEvent(event);
    if (day !== null) handle(day, event);
  };
  return html`
    <div class="month-header" part="month-header">
      ${monthButton(-1, view.previousMonthLabel, view.disabled, on)}
      <div class="month-label" id="month-label" part="month-label" aria-live="polite">
        ${formatDate(view.focusedDay * dayMs, { ...utcGregorian, month: 'long', year: 'numeric' },
          view.locale)}
      </div>
      ${monthButton(1, view.nextMonthLabel, view.disabled, on)}
    </div>
    <table
      class="grid"
      part="grid"
      role="grid"
      aria-labelledby="month-label"
      aria-disabled=${view.disabled ? 'true' : nothing}
      aria-readonly=${view.readonly ? 'true' : nothing}
      @keydown=${withDay((day, event) => on.keyDown(event as KeyboardEvent, day))}
      @click=${withDay((day) => on.choose(day))}
      @mouseover=${withDay((day) => on.point(day))}
      @focusin=${withDay((day) => on.point(day))}
    >
      <thead>
        <tr>${weekdayHeaders(view)}</tr>
      </thead>
      <tbody>
        ${monthGrid(year, month, view.firstDay).map(
          (week) => html`<tr>${week.map((day) => dayCell(day, view))}</tr>`,
        )}
      </tbody>
    </table>
  `;
}

function monthButton(months: number, label: string, disabled: boolean, on: MonthGridHandlers) {
  return html`<button
    type="button"
    class="month-button ${months < 0 ? 'previous' : 'next'}"
    part="month-button"
    aria-label=${label}
    ?disabled=${disabled}
    @click=${() => on.moveMonth(months)}
  >
    <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d=${months < 0 ? 'M15 5l-7 7 7 7' : 'M9 5l7 7-7 7'} />
    </svg>
  </button>`;
}

/** The most characters a short weekday name may have before the narrow ones are shown. */
const weekdayShortLengthMax = 3;

function weekdayHeaders(view: MonthGridView) {
  const names = Array.from({ length: 7 }, (_, index) => {
    // Epoch day 4 (1970-01-05) was a Monday, so `3 + weekday` is a day with that weekday.
    const weekday = ((view.firstDay - 1 + index) % 7) + 1;
    const name = (style: 'long' | 'short' | 'narrow') =>
      formatDate((3 + weekday) * dayMs, { ...utcGregorian, weekday: style }, view.locale);
    return { long: name('long'), short: name('short'), narrow: name('narrow') };
  });
  // Short names that would not fit a day's column ("الخميس") give way to narrow ones.
  const fit = names.every((name) => [...name.short].length <= weekdayShortLengthMax);
  return names.map(
    (name) => html`<th scope="col" abbr=${name.long}>${fit ? name.short : name.narrow}</th>`,
  );
}

function dayCell(day: EpochDay | null, view: MonthGridView) {
  // One template for every cell, day or blank, so turning the month reuses the cells and the
  // focused one is never swapped out from under the keyboard.
  const { start, end, preview } = view;
  // While only the start is chosen, the days up to the pointer or focus preview the range.
  const last = end ?? (start !== null && preview !== null && preview > start ? preview : start);
  const inRange = day !== null && start !== null && last !== null && day >= start && day <= last;
  const selected = inRange && (end !== null || day === start);
  const classes = [
    day === null ? 'outside' : '',
    inRange && !selected ? 'preview' : '',
    selected && day === start ? 'range-start' : '',
    selected && day === end ? 'range-end' : '',
  ].join(' ');
  const text = (options: Intl.DateTimeFormatOptions) =>
    day === null ? nothing : formatDate(day * dayMs, { ...utcGregorian, ...options }, view.locale);
  const tabindex = day === null || view.disabled ? nothing : day === view.focusedDay ? 0 : -1;
  return html`<td
    class=${classes}
    data-day=${day ?? nothing}
    tabindex=${tabindex}
    aria-label=${text({ dateStyle: 'full' })}
    aria-selected=${day === null ? nothing : String(selected)}
    aria-current=${day !== null && day === view.today ? 'date' : nothing}
    aria-disabled=${day !== null && view.isUnavailable(day) ? 'true' : nothing}
  >${text({ day: 'numeric' })}</td>`;
}

/** The calendar's look; `--ab-calendar-*` properties are documented by the element using it. */
export const monthGridStyles = css`
  .month-header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: ${token('space-s')};
    margin-block-end: ${token('space-s')};
  }
  .month-label {
    font-weight: ${token('font-weight-strong')};
  }
  .month-button {
    display: inline-flex;
    width: 2.25rem;
    height: 2.25rem;
    align-items: center;
    justify-content: center;
    padding: 0;
    border: 0;
    border-radius: ${token('radius-s')};
    background: transparent;
    color: inherit;
    cursor: pointer;
  }
  .month-button svg {
    width: 1.25rem;
    height: 1.25rem;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
  }
  .month-button:dir(rtl) svg {
    transform: scaleX(-1);
  }
  .month-button:hover:not(:disabled) {
    background: ${token('color-surface-raised')};
  }
  .grid {
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
  }
  th {
    padding-block: ${token('space-xs')};
    font-size: ${token('font-size-small')};
    font-weight: normal;
    color: ${token('color-text-muted')};
  }
  td {
    width: var(--ab-calendar-day-size, 2.5rem);
    height: var(--ab-calendar-day-size, 2.5rem);
    padding: 0;
    text-align: center;
    border-radius: ${token('radius-s')};
    cursor: pointer;
  }
  td.outside {
    cursor: default;
  }
  td[aria-selected='true'],
  td.preview {
    background: var(--ab-calendar-range-background, ${token('color-surface-raised')});
  }
  td.range-start,
  td.range-end {
    background: ${token('color-primary')};
    color: ${token('color-on-primary')};
  }
  td[aria-current='date'] {
    font-weight: ${token('font-weight-strong')};
    text-decoration: underline;
    text-underline-offset: 0.2em;
  }
  td[aria-disabled='true'] {
    color: ${token('color-text-muted')};
    text-decoration: line-through;
    cursor: not-allowed;
  }
  td:hover:not(.outside, [aria-disabled='true']) {
    outline: 1px solid ${token('color-border')};
    outline-offset: -1px;
  }
  td:focus-visible,
  .month-button:focus-visible {
    outline: ${token('focus-ring-width')} solid ${token('color-focus-ring')};
    outline-offset: calc(-1 * ${token('focus-ring-width')});
  }
  table[aria-disabled='true'] td,
  .month-button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
`;
