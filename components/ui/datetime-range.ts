/**
 * @packageDocumentation
 * `<ab-datetime-range>`: a start and an end, each a date and optionally a time, typed in the
 * locale's format or picked on a keyboard-operable calendar, with presets. A form-associated
 * control whose value is an ISO 8601 interval.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import {
  addMonths,
  browserTimeZone,
  epochDay,
  firstDayOfWeek,
  formatInterval,
  formatIsoDate,
  formatIsoPoint,
  formatIsoTime,
  formatLocaleDate,
  parseInterval,
  parseIsoDate,
  parseIsoPoint,
  parseIsoTime,
  parseLocaleDate,
  spanDays,
  standardPresetKeys,
  standardPresetRange,
  todayIn,
  wallTimeOf,
  dateParts,
  type DateRange,
  type EpochDay,
  type RangePoint,
  type StandardPresetKey,
} from '../core/calendar.ts';
import { dayAfterKey, monthGridStyles, renderMonthGrid } from '../core/calendar-grid.ts';
import { fieldStyles } from '../core/field-styles.ts';
import {
  FormControlMixin,
  formControlStrings,
  type ValidityResult,
} from '../core/form-control.ts';
import { localeOf } from '../core/format.ts';
import { SlotPresenceController } from '../core/slot-presence.ts';
import { resolveStrings } from '../core/strings.ts';
import { token } from '../core/tokens.ts';

/** The English strings of `<ab-datetime-range>`; pass any subset as `strings` to translate. */
export const datetimeRangeStrings = {
  ...formControlStrings,
  start: 'Start',
  end: 'End',
  time: 'Time',
  openCalendar: 'Choose dates',
  closeCalendar: 'Close',
  previousMonth: 'Previous month',
  nextMonth: 'Next month',
  presets: 'Presets',
  today: 'Today',
  yesterday: 'Yesterday',
  'last-7-days': 'Last 7 days',
  'last-30-days': 'Last 30 days',
  'this-month': 'This month',
  'last-month': 'Last month',
  'this-year': 'This year',
  chooseStart: 'Choose the first day.',
  chooseEnd: 'Choose the last day.',
  timeZone: (zone: string) => `Times are in ${zone}.`,
  valueMissing: 'Enter a start and an end.',
  incomplete: 'Enter both the start and the end.',
  missingTime: 'Enter a time for the start and the end.',
  notADate: (text: string, example: string) => `“${text}” is not a date. Type it like ${example}.`,
  endBeforeStart: 'The end cannot be before the start.',
  beforeMin: (min: string) => `Choose ${min} or later.`,
  afterMax: (max: string) => `Choose ${max} or earlier.`,
  tooLong: (days: number) => `Choose at most ${days} days.`,
  unavailable: 'That day cannot be chosen.',
};

/** The strings of `<ab-datetime-range>`. */
export type DatetimeRangeStrings = typeof datetimeRangeStrings;

/** One end of a custom preset: an ISO 8601 date or date-time, or a `Date` (an instant). */
export type DatetimeRangePresetEnd = string | Date;

/** What a custom preset's `range` is told: the element's idea of now. */
export interface DatetimeRangePresetContext {
  /** Today in the element's time zone, `YYYY-MM-DD`. */
  today: string;
  /** The element's clock (`now`, or the real time). */
  now: Date;
  /** The element's time zone. */
  timeZone: string;
}

/** A custom preset: a button that sets the range its `range` function returns. */
export interface DatetimeRangePreset {
  /** The button's text. */
  label: string;
  /** The range to set, computed when the presets are shown. */
  range(context: DatetimeRangePresetContext): {
    start: DatetimeRangePresetEnd;
    end: DatetimeRangePresetEnd;
  };
}

/** How the calendar is shown: behind a button, in a modal dialog, or always, under the fields. */
export type DatetimeRangePresentation = 'popup' | 'inline';

/** Most custom presets shown; more would crowd the calendar out, so the rest are left out. */
export const datetimeRangePresetsMax = 20;

/** Most characters a date box takes; the longest locale date with spaces fits well within. */
export const datetimeRangeTextLengthMax = 40;

/** The last minute of a day: where an end without a time (a preset's, a date) stops. */
const lastMinuteOfDay = 23 * 60 + 59;

/** Which box a problem is in, so that box alone is marked invalid. */
type ProblemPlace = 'start' | 'end' | 'both';

interface Problem {
  flag: keyof ValidityStateFlags;
  message: string;
  place: ProblemPlace;
}

/**
 * A date range: a start and an end, each a date and, with `with-time`, a time of day.
 *
 * The dates are typed in the locale's numeric format (`3/1/2026` in en-US, `1.3.2026` in
 * de-DE) or as ISO 8601 `2026-03-01`, or picked on a calendar: the first day chosen is the
 * start, the next the end, with the range previewed under the pointer or the keyboard focus.
 * The calendar is a WAI-ARIA date grid: arrows move by day and week (mirrored right to left),
 * Home/End go to the ends of the locale's week, PageUp/PageDown by month, with Shift by year,
 * Enter or Space chooses, Escape closes the popup and returns focus to its button.
 *
 * The form value is an ISO 8601 interval: `2026-03-01/2026-03-31`, or with times
 * `2026-03-01T09:00+01:00/2026-03-01T17:30+01:00`. Times are wall-clock times in `time-zone`
 * (the browser's by default), which the element names under the fields; each end carries the
 * offset in force on its own date, so a range across a daylight-saving change has two. A value
 * set with another offset (or `Z`) is shown in the element's time zone.
 *
 * Validity: `valueMissing` (required, and an end or, with times, a time is empty),
 * `badInput` (a box holds something that is not a date, or only one end is given),
 * `rangeUnderflow` (the end is before the start, or a date before `min`), `rangeOverflow`
 * (a date after `max`, or more days than `max-span-days`). A value set by the page that is
 * not an interval is kept and submitted as it is, as a text input's would be, and shown in the
 * start box; it is judged once the user edits the range.
 *
 * @summary Date or date-time range with a calendar, presets and time zone; a form control.
 * @tag ab-datetime-range
 *
 * @slot label - Rich label content; used instead of the `label` attribute.
 * @slot help-text - Hint under the fields; used instead of the `help-text` attribute.
 *
 * @fires input - While the user edits the range: typing in a box, choosing a day, a preset.
 * Bubbles, composed.
 * @fires change - When the user commits a new range: choosing its last day, a preset, Enter
 * in a box, or leaving the element. Bubbles, composed.
 * @fires invalid - When a submit or `checkValidity()` finds the range invalid. Cancelable.
 * @fires ab-validity-change - When the validity, its message or `validating` changes; detail
 * `{valid, message, validating}`. Bubbles, composed.
 *
 * @csspart label - The label over the fields.
 * @csspart fields - The row of the start and end boxes and the calendar button.
 * @csspart field - The box around one end (also `start-field` or `end-field`).
 * @csspart input - A date box (also `start-input` or `end-input`).
 * @csspart time-input - A time box (also `start-time` or `end-time`), with `with-time`.
 * @csspart trigger - The button that opens the calendar (popup presentation).
 * @csspart time-zone - The line naming the time zone, with `with-time`.
 * @csspart help-text - The help text under the fields.
 * @csspart error - The error text, shown only while invalid after interaction.
 * @csspart dialog - The popup `<dialog>` around the calendar.
 * @csspart close - The popup's close button.
 * @csspart panel - The presets and the calendar.
 * @csspart presets - The group of preset buttons.
 * @csspart preset - One preset button; `aria-pressed="true"` when it is the current range.
 * @csspart month-header - The month name and the previous/next month buttons.
 * @csspart month-label - The month name, announced when it changes.
 * @csspart month-button - The previous and next month buttons.
 * @csspart grid - The `role="grid"` table of days.
 * @csspart status - What to do next, or why a day was refused.
 *
 * @cssproperty --ab-field-border-color - Border colour of the boxes at rest.
 * @cssproperty --ab-field-focus-color - Border and label colour of a focused box.
 * @cssproperty --ab-field-label-color - Label colour of the boxes.
 * @cssproperty --ab-field-background - Background of the boxes.
 * @cssproperty --ab-field-radius - Corner radius of the boxes.
 * @cssproperty --ab-field-height - Minimum height of the boxes.
 * @cssproperty --ab-calendar-day-size - Width and height of a day in the calendar.
 * @cssproperty --ab-calendar-range-background - Background of the days inside the range.
 */
export class AbDatetimeRange extends FormControlMixin(LitElement) {
  static override styles = [
    fieldStyles,
    monthGridStyles,
    css`
      .legend {
        margin-block-end: ${token('space-xs')};
        font-weight: ${token('font-weight-strong')};
      }
      .fields {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: ${token('space-s')};
      }
      .fields > .field {
        flex: 1 1 11rem;
      }
      .control.time {
        flex: 0 0 7.5rem;
        padding-inline-start: ${token('space-s')};
        border-inline-start: 1px solid ${token('color-border')};
      }
      .dash {
        color: ${token('color-text-muted')};
      }
      .trigger,
      .close,
      .preset {
        border: 1px solid transparent;
        border-radius: ${token('radius-s')};
        background: transparent;
        color: inherit;
        font: inherit;
        cursor: pointer;
      }
      .trigger,
      .close {
        display: inline-flex;
        width: 2.75rem;
        height: 2.75rem;
        align-items: center;
        justify-content: center;
        padding: 0;
      }
      .trigger {
        border-color: ${token('color-border')};
      }
      .trigger:disabled,
      .preset:disabled {
        color: ${token('color-text-muted')};
        cursor: not-allowed;
      }
      svg {
        width: 1.25rem;
        height: 1.25rem;
        fill: none;
        stroke: currentColor;
        stroke-width: 2;
        stroke-linecap: round;
      }
      .trigger:focus-visible,
      .close:focus-visible,
      .preset:focus-visible {
        outline: ${token('focus-ring-width')} solid ${token('color-focus-ring')};
        outline-offset: ${token('focus-ring-offset')};
      }
      .note {
        margin-block-start: ${token('space-xs')};
        padding-inline: ${token('space-m')};
        font-size: ${token('font-size-small')};
        color: ${token('color-text-muted')};
      }
      .panel {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-start;
        gap: ${token('space-l')};
      }
      :host([presentation='inline']) .panel {
        width: fit-content;
        margin-block-start: ${token('space-s')};
        padding: ${token('space-m')};
        border: 1px solid ${token('color-border')};
        border-radius: ${token('radius-m')};
      }
      .presets {
        display: flex;
        flex-direction: column;
        gap: ${token('space-xs')};
      }
      .preset {
        padding: ${token('space-xs')} ${token('space-s')};
        text-align: start;
      }
      .preset:hover:not(:disabled) {
        background: ${token('color-surface-raised')};
      }
      .preset[aria-pressed='true'] {
        border-color: ${token('color-primary')};
        color: ${token('color-primary')};
      }
      .status {
        max-width: 18rem;
        min-height: 1.5em;
        margin-block-start: ${token('space-s')};
        font-size: ${token('font-size-small')};
        color: ${token('color-text-muted')};
      }
      .status.refused {
        color: ${token('color-danger')};
      }
      dialog {
        max-width: calc(100vw - 2rem);
        padding: 0;
        border: 1px solid ${token('color-border')};
        border-radius: ${token('radius-m')};
        background: ${token('color-surface')};
        color: ${token('color-text')};
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.35);
      }
      .dialog-body {
        display: grid;
        gap: ${token('space-s')};
        padding: ${token('space-l')};
      }
      .close {
        justify-self: end;
      }
    `,
  ];

  /** Focus goes to the start box: `focus()`, a click on an outer `<label>`, `reportValidity`. */
  static override shadowRootOptions: ShadowRootInit = {
    ...LitElement.shadowRootOptions,
    delegatesFocus: true,
  };

  /** Each end has a time of day too, and the value carries times and offsets. */
  @property({ type: Boolean, attribute: 'with-time', reflect: true }) withTime = false;

  /** IANA time zone of the times, e.g. `Europe/Berlin`; empty for the browser's. */
  @property({ attribute: 'time-zone' }) timeZone = '';

  /** Locale for the format and the calendar, e.g. `de-DE`; empty for the closest `lang`. */
  @property() locale = '';

  /** Earliest day that can be chosen, `YYYY-MM-DD`; empty for none. */
  @property() min = '';

  /** Latest day that can be chosen, `YYYY-MM-DD`; empty for none. */
  @property() max = '';

  /** Most days the range may cover, counting both ends; unset for no limit. */
  @property({ type: Number, attribute: 'max-span-days' }) maxSpanDays?: number;

  /** `popup`: the calendar opens from a button, in a modal dialog; `inline`: always shown. */
  @property({ reflect: true }) presentation: DatetimeRangePresentation = 'popup';

  /** Whether the popup calendar is open. */
  @property({ type: Boolean, reflect: true }) open = false;

  /**
   * Built-in presets to offer, space-separated: `today yesterday last-7-days last-30-days
   * this-month last-month this-year`, or `all`. Each is clipped to `min`/`max`.
   */
  @property({ attribute: 'standard-presets' }) standardPresets = '';

  /** Custom presets, shown after the built-in ones (at most {@link datetimeRangePresetsMax}). */
  @property({ attribute: false }) presets: DatetimeRangePreset[] = [];

  /** The clock: the time presets and "today" are computed from; unset for the real time. */
  @property({ attribute: false }) now?: Date;

  /** Translations of any of the {@link datetimeRangeStrings}. */
  @property({ attribute: false }) strings?: Partial<DatetimeRangeStrings>;

  /** The text in the start date box. */
  @state() private startText = '';
  @state() private endText = '';
  /** The start time box's `HH:MM`, `''` while empty or incomplete. */
  @state() private startTime = '';
  @state() private endTime = '';
  /** The day with the calendar's focus (and whose month it shows); `null` before it is shown. */
  @state() private focusedDay: EpochDay | null = null;
  /** The start chosen on the calendar while its end is still to be chosen. */
  @state() private pendingStart: EpochDay | null = null;
  /** The day under the pointer or focus, previewing the range while the end is chosen. */
  @state() private previewDay: EpochDay | null = null;
  /** Why the last day chosen on the calendar was refused; `''` when it was not. */
  @state() private refusal = '';

  @query('#start') private startInput!: HTMLInputElement | null;
  @query('#end') private endInput!: HTMLInputElement | null;
  @query('dialog') private dialog!: HTMLDialogElement | null;
  @query('.trigger') private trigger!: HTMLButtonElement | null;

  /** The value the boxes were last filled from or produced; another value refills them. */
  private ownValue: string | null = null;
  /** The value at the last `change` (or the last value set from outside). */
  private committedValue = '';
  /** Whether the user edited since the last commit, so leaving shows any error. */
  private edited = false;
  /** The page set a value that is not an interval: it stands, unjudged, until the user edits. */
  private unreadValue = false;
  /** Move the focus onto the calendar's focused day after the next render. */
  private focusGridPending = false;
  /** `time-zone` as last asked, and the zone it resolved to (checking a name costs). */
  private zoneResolved: [string | null, string] = [null, ''];

  private readonly slots = new SlotPresenceController(this, 'label', 'help-text');

  constructor() {
    super();
    // Leaving the whole element (not moving between its boxes and calendar) commits. Looked at
    // a task later: a day cell re-rendered under the focus loses it for a moment, then the
    // calendar puts it back.
    this.addEventListener('focusout', () => {
      setTimeout(() => {
        if (!this.matches(':focus-within')) this.commit();
      });
    });
  }

  /** The start as ISO 8601 (`2026-03-01` or `2026-03-01T09:00+01:00`); `''` without a range. */
  get start(): string {
    const range = parseInterval(this.value, this.zone);
    return range ? formatIsoPoint(range.start, this.zone) : '';
  }

  /** The end as ISO 8601, like {@link AbDatetimeRange.start}. */
  get end(): string {
    const range = parseInterval(this.value, this.zone);
    return range ? formatIsoPoint(range.end, this.zone) : '';
  }

  /** Called by the browser when the form resets: the default range, and the boxes with it. */
  override formResetCallback(): void {
    super.formResetCallback();
    this.fillFromValue();
  }

  /** The time zone in force: `time-zone` if the browser knows it, else the browser's. */
  private get zone(): string {
    const [asked, resolved] = this.zoneResolved;
    if (asked === this.timeZone) return resolved;
    let zone = browserTimeZone();
    try {
      if (this.timeZone !== '') {
        zone = new Intl.DateTimeFormat('en', { timeZone: this.timeZone }).resolvedOptions()
          .timeZone;
      }
    } catch {
      // An unknown zone name: the browser's zone stands, as for an empty attribute.
    }
    this.zoneResolved = [this.timeZone, zone];
    return zone;
  }

  /** The locale in force: `locale`, else the closest `lang`, if valid; else the browser's. */
  private get localeTag(): string | undefined {
    const tag = this.locale || localeOf(this);
    try {
      return tag ? Intl.getCanonicalLocales(tag)[0] : undefined;
    } catch {
      return undefined;
    }
  }

  private get text(): DatetimeRangeStrings {
    return resolveStrings('ab-datetime-range', datetimeRangeStrings, this.strings);
  }

  private get today(): EpochDay {
    return todayIn(this.zone, this.now ?? new Date());
  }

  /** 31 December of this year in the locale's format: day and month cannot be mistaken. */
  private get exampleDate(): string {
    return formatLocaleDate(epochDay(dateParts(this.today).year, 12, 31), this.localeTag);
  }

  private get minDay(): EpochDay | null {
    return parseIsoDate(this.min);
  }

  private get maxDay(): EpochDay | null {
    return parseIsoDate(this.max);
  }

  /** The box with the problem (or the start box): what `reportValidity` focuses. */
  protected override get validationAnchor(): HTMLInputElement | null {
    return this.problem()?.place === 'end' ? this.endInput : this.startInput;
  }

  protected override validityOf(): ValidityResult {
    const problem = this.problem();
    if (!problem) return { flags: {}, message: '' };
    return { flags: { [problem.flag]: true }, message: problem.message };
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('value') && this.value !== this.ownValue) this.fillFromValue();
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const dialog = this.dialog;
    if (dialog && this.open !== dialog.open) {
      if (this.open) dialog.showModal();
      else dialog.close();
    }
    if (this.focusGridPending) {
      this.focusGridPending = false;
      this.renderRoot.querySelector<HTMLElement>('td[tabindex="0"]')?.focus();
    }
  }

  /** Fills the boxes from `value`; one that is not an interval goes in the start box as is. */
  private fillFromValue(): void {
    const range = parseInterval(this.value, this.zone);
    const time = (point: RangePoint | undefined) =>
      point?.minutes == null ? '' : formatIsoTime(point.minutes);
    this.startText = range ? formatLocaleDate(range.start.day, this.localeTag) : this.value;
    this.endText = range ? formatLocaleDate(range.end.day, this.localeTag) : '';
    this.startTime = time(range?.start);
    this.endTime = time(range?.end);
    this.focusedDay = range?.start.day ?? null;
    this.pendingStart = null;
    this.refusal = '';
    this.ownValue = this.value;
    this.committedValue = this.value;
    this.edited = false;
    this.unreadValue = range === null && this.value !== '';
  }

  /** What the boxes hold: each day (`null` empty, `NaN` not a date) and each time. */
  private readBoxes() {
    const day = (text: string) =>
      text.trim() === '' ? null : (parseLocaleDate(text, this.localeTag) ?? Number.NaN);
    const minutes = (text: string) => (this.withTime ? parseIsoTime(text) : null);
    return {
      start: day(this.startText),
      end: day(this.endText),
      startMinutes: minutes(this.startTime),
      endMinutes: minutes(this.endTime),
    };
  }

  /** The range the boxes hold, or `null` while an end (or a time) is missing or unreadable. */
  private boxRange(): DateRange | null {
    const boxes = this.readBoxes();
    const { start, end } = boxes;
    if (start === null || end === null || Number.isNaN(start) || Number.isNaN(end)) return null;
    if (this.withTime && (boxes.startMinutes === null || boxes.endMinutes === null)) return null;
    return {
      start: { day: start, minutes: boxes.startMinutes },
      end: { day: end, minutes: boxes.endMinutes },
    };
  }

  /** The first failing constraint of what the boxes hold, or `null` when the range is fine. */
  private problem(): Problem | null {
    if (this.unreadValue) return null;
    const text = this.text;
    const boxes = this.readBoxes();
    const example = this.exampleDate;
    for (const place of ['start', 'end'] as const) {
      if (Number.isNaN(boxes[place])) {
        const typed = (place === 'start' ? this.startText : this.endText).trim();
        return { flag: 'badInput', message: text.notADate(typed, example), place };
      }
    }
    const range = this.boxRange();
    if (range) return this.limitProblem(range);
    const empty = boxes.start === null && boxes.end === null;
    if (empty && this.startTime === '' && this.endTime === '' && !this.required) return null;
    const timeOnly = boxes.start !== null && boxes.end !== null;
    const flag = this.required ? 'valueMissing' : 'badInput';
    const missing = this.required ? text.valueMissing : text.incomplete;
    return { flag, message: timeOnly ? text.missingTime : missing, place: 'both' };
  }

  /** What is wrong with a complete range: its order, `min`, `max`, `max-span-days`. */
  private limitProblem(range: DateRange): Problem | null {
    const text = this.text;
    const { start, end } = range;
    const minutesOf = (point: RangePoint) => point.day * 1440 + (point.minutes ?? 0);
    if (minutesOf(end) < minutesOf(start)) {
      return { flag: 'rangeUnderflow', message: text.endBeforeStart, place: 'end' };
    }
    const min = this.minDay;
    const max = this.maxDay;
    if (min !== null && start.day < min) {
      const message = text.beforeMin(formatLocaleDate(min, this.localeTag));
      return { flag: 'rangeUnderflow', message, place: 'start' };
    }
    if (max !== null && end.day > max) {
      const message = text.afterMax(formatLocaleDate(max, this.localeTag));
      return { flag: 'rangeOverflow', message, place: 'end' };
    }
    const spanMax = this.maxSpanDays;
    if (spanMax !== undefined && spanMax > 0 && spanDays(start.day, end.day) > spanMax) {
      return { flag: 'rangeOverflow', message: text.tooLong(spanMax), place: 'end' };
    }
    return null;
  }

  private isUnavailable(day: EpochDay): boolean {
    const min = this.minDay;
    const max = this.maxDay;
    return (min !== null && day < min) || (max !== null && day > max);
  }

  /** The boxes changed by the user's hand: recompute the value and fire `input`. */
  private userEdited(): void {
    const range = this.boxRange();
    const next = range ? formatInterval(range, this.zone) : '';
    this.ownValue = next;
    this.edited = true;
    this.unreadValue = false;
    this.applyUserInput(next);
  }

  /** The user committed: tidy the boxes and fire `change` if the value moved since the last. */
  private commit(): void {
    const changed = this.value !== this.committedValue;
    const wasEdited = this.edited;
    // Typed dates take the locale's form, and a time the clocks skip the time it became; the
    // calendar keeps its place.
    const focusedDay = this.focusedDay;
    if (parseInterval(this.value, this.zone)) this.fillFromValue();
    this.focusedDay = focusedDay ?? this.focusedDay;
    this.edited = false;
    if (changed) {
      this.committedValue = this.value;
      this.commitUserInput();
    } else if (wasEdited) {
      this.interacted = true;
    }
  }

  private setRange(range: DateRange): void {
    this.startText = formatLocaleDate(range.start.day, this.localeTag);
    this.endText = formatLocaleDate(range.end.day, this.localeTag);
    if (this.withTime) {
      this.startTime = formatIsoTime(range.start.minutes ?? 0);
      this.endTime = formatIsoTime(range.end.minutes ?? lastMinuteOfDay);
    }
  }

  override render() {
    const text = this.text;
    const showsError = this.errorText !== '';
    // The boxes to mark: where the problem is (none for a custom validity message).
    const problem = showsError ? this.problem() : null;
    const hasHelp = this.helpText !== '' || this.slots.has('help-text');
    const describedBy = showsError ? 'error' : hasHelp ? 'help-text' : nothing;
    const popup = this.presentation !== 'inline';
    return html`
      <div class="legend" part="label" id="label">
        <slot name="label">${this.label || outerLabelText(this.labels)}</slot>${this.required
          ? html`<span class="required-mark" aria-hidden="true">*</span>`
          : nothing}
      </div>
      <div class="fields" part="fields" role="group" aria-labelledby="label">
        ${this.renderEnd('start', problem, describedBy)}
        <span class="dash" aria-hidden="true">–</span>
        ${this.renderEnd('end', problem, describedBy)}
        ${popup ? this.renderTrigger() : nothing}
      </div>
      ${this.withTime
        ? html`<div class="note" part="time-zone" id="time-zone">
            ${text.timeZone(this.zoneName())}
          </div>`
        : nothing}
      <div part="help-text" class="help-text" id="help-text" ?hidden=${!hasHelp || showsError}>
        <slot name="help-text">${this.helpText}</slot>
      </div>
      <div part="error" class="error" id="error">${this.errorText}</div>
      ${popup ? this.renderDialog() : this.renderPanel()}
    `;
  }

  private renderEnd(
    place: 'start' | 'end',
    problem: Problem | null,
    describedBy: string | typeof nothing,
  ) {
    const text = this.text;
    const invalid = problem !== null && (problem.place === place || problem.place === 'both');
    const time = place === 'start' ? this.startTime : this.endTime;
    return html`<div
      class="field float ${invalid ? 'invalid' : ''} ${this.isDisabled ? 'disabled' : ''}"
      part="field ${place}-field"
    >
      <div class="control">
        <input
          class="input"
          part="input ${place}-input"
          id=${place}
          data-place=${place}
          .value=${live(place === 'start' ? this.startText : this.endText)}
          placeholder=${this.exampleDate}
          maxlength=${datetimeRangeTextLengthMax}
          autocomplete="off"
          ?disabled=${this.isDisabled}
          ?readonly=${this.readonly}
          aria-labelledby="label ${place}-label"
          aria-describedby=${describedBy}
          aria-required=${this.required ? 'true' : 'false'}
          aria-invalid=${invalid ? 'true' : 'false'}
          @input=${this.handleDateInput}
          @change=${this.handleBoxChange}
          @keydown=${this.handleBoxKeyDown}
        />
        <label class="label" id="${place}-label" for=${place}>${text[place]}</label>
      </div>
      ${this.withTime
        ? html`<div class="control time">
            <input
              type="time"
              class="input"
              part="time-input ${place}-time"
              id="${place}-time"
              data-place=${place}
              .value=${live(time)}
              ?disabled=${this.isDisabled}
              ?readonly=${this.readonly}
              aria-labelledby="label ${place}-label ${place}-time-label"
              aria-describedby="time-zone"
              aria-invalid=${invalid ? 'true' : 'false'}
              @input=${this.handleTimeInput}
              @keydown=${this.handleBoxKeyDown}
            />
            <label class="label" id="${place}-time-label" for="${place}-time">${text.time}</label>
          </div>`
        : nothing}
    </div>`;
  }

  private renderTrigger() {
    return html`<button
      type="button"
      class="trigger"
      part="trigger"
      aria-label=${this.text.openCalendar}
      aria-haspopup="dialog"
      aria-expanded=${this.open ? 'true' : 'false'}
      aria-controls="dialog"
      ?disabled=${this.isDisabled || this.readonly}
      @click=${this.openPopup}
    >
      <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <rect x="3.5" y="5" width="17" height="15" rx="2" />
        <path d="M3.5 10h17M8 3v4M16 3v4" />
      </svg>
    </button>`;
  }

  private renderDialog() {
    return html`<dialog
      id="dialog"
      part="dialog"
      aria-label=${this.label || this.text.openCalendar}
      @close=${this.handleDialogClose}
      @click=${this.handleDialogClick}
      @keydown=${this.handleDialogKeyDown}
    >
      <div class="dialog-body">
        <button
          type="button"
          class="close"
          part="close"
          aria-label=${this.text.closeCalendar}
          @click=${this.closePopup}
        >
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M6 6l12 12M18 6L6 18" />
          </svg>
        </button>
        ${this.open ? this.renderPanel() : nothing}
      </div>
    </dialog>`;
  }

  private renderPanel() {
    const text = this.text;
    const start = this.pendingStart ?? this.readBoxes().start;
    const range = this.pendingStart === null ? this.boxRange() : null;
    const status =
      this.refusal ||
      (this.pendingStart !== null ? text.chooseEnd : range ? '' : text.chooseStart);
    return html`<div class="panel" part="panel">
      ${this.renderPresets()}
      <div class="calendar">
        ${renderMonthGrid(
          {
            focusedDay: this.calendarDay(),
            firstDay: firstDayOfWeek(this.localeTag),
            locale: this.localeTag,
            today: this.today,
            start: start === null || Number.isNaN(start) ? null : start,
            // An end before the start is not shown as a range; the start still is.
            end: range && range.end.day >= range.start.day ? range.end.day : null,
            preview: this.previewDay,
            isUnavailable: (day) => this.isUnavailable(day),
            disabled: this.isDisabled,
            readonly: this.readonly,
            previousMonthLabel: text.previousMonth,
            nextMonthLabel: text.nextMonth,
          },
          {
            keyDown: (event, day) => this.handleGridKeyDown(event, day),
            choose: (day) => this.choose(day),
            point: (day) => (this.previewDay = day),
            moveMonth: (months) => (this.focusedDay = addMonths(this.calendarDay(), months)),
          },
        )}
        <div class="status ${this.refusal ? 'refused' : ''}" part="status" role="status">
          ${status}
        </div>
      </div>
    </div>`;
  }

  private renderPresets() {
    const presets = this.presetRanges();
    if (presets.length === 0) return nothing;
    const current = this.value;
    const unusable = this.isDisabled || this.readonly;
    return html`<div class="presets" part="presets" role="group" aria-label=${this.text.presets}>
      ${presets.map(
        ({ label, range }) =>
          html`<button
            type="button"
            class="preset"
            part="preset"
            aria-pressed=${range !== null && formatInterval(range, this.zone) === current}
            ?disabled=${unusable || range === null}
            @click=${() => range && this.applyPreset(range)}
          >
            ${label}
          </button>`,
      )}
    </div>`;
  }

  /** The presets to show with their ranges; `null` for one that cannot be chosen here. */
  private presetRanges(): { label: string; range: DateRange | null }[] {
    const text = this.text;
    const today = this.today;
    const wanted = this.standardPresets.trim().split(/\s+/);
    const keys = standardPresetKeys.filter((key) => wanted.includes(key) || wanted[0] === 'all');
    const standard = keys.map((key: StandardPresetKey) => {
      const days = standardPresetRange(key, today);
      // Built-in presets are clipped to the allowed days, so "this year" works with `max`.
      const start = Math.max(days.start, this.minDay ?? days.start);
      const end = Math.min(days.end, this.maxDay ?? days.end);
      const range = { start: { day: start, minutes: null }, end: { day: end, minutes: null } };
      return { label: text[key], range: this.usable(range) };
    });
    const now = this.now ?? new Date();
    const context = { today: formatIsoDate(today), now, timeZone: this.zone };
    const custom = this.presets.slice(0, datetimeRangePresetsMax).map((preset) => {
      const ends = preset.range(context);
      const start = this.presetPoint(ends.start);
      const end = this.presetPoint(ends.end);
      const range = start && end ? this.usable({ start, end }) : null;
      return { label: preset.label, range };
    });
    return [...standard, ...custom];
  }

  private presetPoint(end: DatetimeRangePresetEnd): RangePoint | null {
    if (end instanceof Date) {
      return Number.isNaN(end.getTime()) ? null : wallTimeOf(end.getTime(), this.zone);
    }
    return parseIsoPoint(String(end), this.zone);
  }

  /** The range with times filled in as this element needs them, or `null` if it breaks a limit. */
  private usable(range: DateRange): DateRange | null {
    const point = (at: RangePoint, fallback: number) => ({
      day: at.day,
      minutes: this.withTime ? (at.minutes ?? fallback) : null,
    });
    const fitted = { start: point(range.start, 0), end: point(range.end, lastMinuteOfDay) };
    return this.limitProblem(fitted) ? null : fitted;
  }

  /** The day the calendar centres on: the focused day, else the start, else today, in bounds. */
  private calendarDay(): EpochDay {
    if (this.focusedDay !== null) return this.focusedDay;
    const start = this.readBoxes().start;
    const day = start === null || Number.isNaN(start) ? this.today : start;
    return Math.min(Math.max(day, this.minDay ?? day), this.maxDay ?? day);
  }

  private zoneName(): string {
    const nowMs = (this.now ?? new Date()).getTime();
    const options = { timeZone: this.zone, timeZoneName: 'longGeneric' } as const;
    const parts = new Intl.DateTimeFormat(this.localeTag, options).formatToParts(nowMs);
    const name = parts.find((part) => part.type === 'timeZoneName')?.value ?? this.zone;
    return name === this.zone ? name : `${name} (${this.zone})`;
  }

  private handleDateInput(event: Event): void {
    event.stopPropagation();
    const input = event.target as HTMLInputElement;
    if (input.dataset.place === 'start') this.startText = input.value;
    else this.endText = input.value;
    this.pendingStart = null;
    this.userEdited();
  }

  private handleTimeInput(event: Event): void {
    event.stopPropagation();
    const input = event.target as HTMLInputElement;
    if (input.dataset.place === 'start') this.startTime = input.value;
    else this.endTime = input.value;
    this.userEdited();
  }

  /** A date box was left after an edit: tidy a readable date, show an unreadable one as wrong. */
  private handleBoxChange(event: Event): void {
    event.stopPropagation();
    const input = event.target as HTMLInputElement;
    const day = input.value.trim() === '' ? null : parseLocaleDate(input.value, this.localeTag);
    if (day === null && input.value.trim() !== '') this.interacted = true;
    if (day === null) return;
    const formatted = formatLocaleDate(day, this.localeTag);
    if (input.dataset.place === 'start') this.startText = formatted;
    else this.endText = formatted;
  }

  private handleBoxKeyDown(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown' && event.altKey && this.presentation !== 'inline') {
      event.preventDefault();
      this.openPopup();
      return;
    }
    const modified = event.altKey || event.ctrlKey || event.metaKey || event.shiftKey;
    if (event.key !== 'Enter' || event.isComposing || modified) return;
    this.commit();
    setTimeout(() => this.submitFormImplicitly());
  }

  private handleGridKeyDown(event: KeyboardEvent, day: EpochDay): void {
    const rtl = this.matches(':dir(rtl)');
    const next = dayAfterKey(event, day, firstDayOfWeek(this.localeTag), rtl);
    if (next !== null) {
      event.preventDefault();
      this.focusedDay = next;
      this.previewDay = next;
      this.refusal = '';
      this.focusGridPending = true;
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.choose(day);
    } else if (event.key === 'Escape' && this.presentation === 'inline') {
      this.pendingStart = null;
      this.refusal = '';
    }
  }

  /** A day was chosen on the calendar: the start, or the end of the range begun. */
  private choose(day: EpochDay): void {
    if (this.isDisabled) return;
    this.focusedDay = day;
    this.focusGridPending = true;
    if (this.readonly) return;
    const text = this.text;
    const start = this.pendingStart;
    if (this.isUnavailable(day)) {
      this.refusal = text.unavailable;
    } else if (start === null) {
      this.pendingStart = day;
      this.startText = formatLocaleDate(day, this.localeTag);
      this.endText = '';
      this.refusal = '';
      this.userEdited();
    } else if (day < start) {
      this.refusal = text.endBeforeStart;
    } else if (this.maxSpanDays && spanDays(start, day) > this.maxSpanDays) {
      this.refusal = text.tooLong(this.maxSpanDays);
    } else {
      this.endText = formatLocaleDate(day, this.localeTag);
      this.pendingStart = null;
      this.refusal = '';
      this.finishPick();
    }
  }

  private applyPreset(range: DateRange): void {
    this.setRange(range);
    this.pendingStart = null;
    this.refusal = '';
    this.focusedDay = range.start.day;
    this.finishPick();
  }

  /** A whole range was picked: report it, commit it, and close the popup. */
  private finishPick(): void {
    this.userEdited();
    this.commit();
    if (this.open) this.closePopup();
  }

  private openPopup(): void {
    if (this.isDisabled || this.readonly) return;
    const boxes = this.readBoxes();
    const startOnly = boxes.start !== null && !Number.isNaN(boxes.start) && boxes.end === null;
    this.pendingStart = startOnly ? boxes.start : null;
    this.focusedDay = null;
    this.focusedDay = this.calendarDay();
    this.previewDay = null;
    this.refusal = '';
    this.focusGridPending = true;
    this.open = true;
  }

  private closePopup(): void {
    this.open = false;
    this.dialog?.close();
  }

  private handleDialogClose(): void {
    this.open = false;
    this.pendingStart = null;
    this.trigger?.focus();
  }

  /**
   * Escape closes the popup (handled here, not left to the browser's close request, which a
   * window without focus does not get); Tab and Shift+Tab go round inside it.
   */
  private handleDialogKeyDown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      this.closePopup();
    }
    if (event.key !== 'Tab' || !this.dialog) return;
    const stops = [
      ...this.dialog.querySelectorAll<HTMLElement>('button:not(:disabled), [tabindex="0"]'),
    ];
    const active = this.shadowRoot?.activeElement;
    const wrapTo = event.shiftKey
      ? active === stops[0] && stops.at(-1)
      : active === stops.at(-1) && stops[0];
    if (!wrapTo) return;
    event.preventDefault();
    wrapTo.focus();
  }

  /** A click on the dialog itself, not its content, is a click on the backdrop: close. */
  private handleDialogClick(event: MouseEvent): void {
    if (event.target === this.dialog) this.closePopup();
  }
}

/** The text of the `<label for>` elements pointing at a control, joined by spaces. */
function outerLabelText(labels: NodeList): string {
  return [...labels]
    .map((label) => label.textContent?.trim() ?? '')
    .filter(Boolean)
    .join(' ');
}

if (!customElements.get('ab-datetime-range')) {
  customElements.define('ab-datetime-range', AbDatetimeRange);
}

declare global {
  interface HTMLElementTagNameMap {
    'ab-datetime-range': AbDatetimeRange;
  }
}
