/**
 * @packageDocumentation
 * Gallery of `<ab-datetime-range>`: every state a designer should see, one story each. Stories
 * that depend on "today" (presets, min/max) run on a fixed clock, Sunday 15 March 2026, so they
 * look the same every day.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../../components/ui/datetime-range.ts';
import type {
  AbDatetimeRange,
  DatetimeRangePresentation,
  DatetimeRangePreset,
} from '../../components/ui/datetime-range.ts';

/** The controls the gallery offers for a date range. */
interface DatetimeRangeArgs {
  label: string;
  name: string;
  value: string;
  helpText: string;
  presentation: DatetimeRangePresentation;
  withTime: boolean;
  timeZone: string;
  locale: string;
  min: string;
  max: string;
  maxSpanDays: number | undefined;
  standardPresets: string;
  required: boolean;
  disabled: boolean;
  readonly: boolean;
}

/** The clock of the stories that depend on today. */
const fixedNow = new Date('2026-03-15T12:00:00Z');

const meta = {
  title: 'UI/Date and time range',
  component: 'ab-datetime-range',
  args: {
    label: 'Stay',
    name: 'stay',
    value: '',
    helpText: 'Arrival and departure days.',
    presentation: 'inline',
    withTime: false,
    timeZone: 'Europe/Berlin',
    locale: 'en-US',
    min: '',
    max: '',
    maxSpanDays: undefined,
    standardPresets: '',
    required: true,
    disabled: false,
    readonly: false,
  },
  argTypes: {
    presentation: { control: 'inline-radio', options: ['inline', 'popup'] },
  },
  render: (args) => renderRange(args),
} satisfies Meta<DatetimeRangeArgs>;

/** The range with the story's attributes, and the properties that have no attribute. */
function renderRange(
  args: DatetimeRangeArgs,
  properties: { presets?: DatetimeRangePreset[]; strings?: AbDatetimeRange['strings'] } = {},
) {
  return html`
    <ab-datetime-range
      label=${args.label}
      name=${args.name}
      value=${args.value}
      help-text=${args.helpText}
      presentation=${args.presentation}
      ?with-time=${args.withTime}
      time-zone=${args.timeZone}
      locale=${args.locale}
      min=${args.min}
      max=${args.max}
      max-span-days=${ifDefined(args.maxSpanDays)}
      standard-presets=${args.standardPresets}
      ?required=${args.required}
      ?disabled=${args.disabled}
      ?readonly=${args.readonly}
      .now=${fixedNow}
      .presets=${properties.presets ?? []}
      .strings=${properties.strings}
    ></ab-datetime-range>
  `;
}

export default meta;

type Story = StoryObj<DatetimeRangeArgs>;

/** Nothing chosen yet: the calendar opens on today and asks for the first day. */
export const Empty: Story = {};

/** A range of days is chosen: its ends and the days between are marked. */
export const Filled: Story = {
  args: { value: '2026-03-09/2026-03-13' },
};

/** Each end has a time too; the time zone is named under the fields and goes into the value. */
export const WithTime: Story = {
  args: {
    label: 'Meeting',
    name: 'meeting',
    helpText: '',
    withTime: true,
    value: '2026-03-16T09:00+01:00/2026-03-16T17:30+01:00',
  },
};

/** The end is before the start, and a submit was tried: the fields say what is wrong. */
export const Invalid: Story = {
  args: { value: '2026-03-13/2026-03-09' },
  play: async ({ canvasElement }) => {
    const range = canvasElement.querySelector<AbDatetimeRange>('ab-datetime-range')!;
    await range.updateComplete;
    // What a submit attempt does: the check fires `invalid`, after which the error shows.
    range.checkValidity();
  },
};

/** The seven built-in presets beside the calendar, and two of the page's own. */
export const Presets: Story = {
  args: { label: 'Report period', name: 'period', helpText: '', standardPresets: 'all' },
  render: (args) =>
    renderRange(args, {
      presets: [
        { label: 'Q1 2026', range: () => ({ start: '2026-01-01', end: '2026-03-31' }) },
        { label: 'Next 7 days', range: ({ today }) => ({ start: today, end: plusDays(today, 6) }) },
      ],
    }),
};

/** Only days in the window can be chosen, and at most a week of them. */
export const MinAndMax: Story = {
  args: {
    min: '2026-03-05',
    max: '2026-04-10',
    maxSpanDays: 7,
    helpText: 'Between 5 March and 10 April, a week at most.',
    standardPresets: 'today yesterday last-7-days last-30-days',
  },
};

/** Behind a button: the calendar opens in a modal dialog. */
export const Popup: Story = {
  args: { presentation: 'popup', value: '2026-03-09/2026-03-13' },
};

/** Cannot be used, is not submitted. */
export const Disabled: Story = {
  args: { value: '2026-03-09/2026-03-13', disabled: true, standardPresets: 'today' },
};

/** Shown and submitted, but cannot be changed; the calendar can still be looked through. */
export const Readonly: Story = {
  args: { value: '2026-03-09/2026-03-13', readonly: true, helpText: 'Booked; ask to change it.' },
};

/** Arabic, right to left: the week starts on Saturday and the arrow keys follow the layout. */
export const RightToLeft: Story = {
  args: {
    label: 'الإقامة',
    helpText: '',
    locale: 'ar',
    value: '2026-03-09/2026-03-13',
    standardPresets: 'today last-7-days',
  },
  render: (args) =>
    html`<div dir="rtl" lang="ar">
      ${renderRange(args, {
        strings: {
          start: 'البداية',
          end: 'النهاية',
          openCalendar: 'اختيار التواريخ',
          previousMonth: 'الشهر السابق',
          nextMonth: 'الشهر التالي',
          presets: 'فترات جاهزة',
          today: 'اليوم',
          'last-7-days': 'آخر ٧ أيام',
          chooseStart: 'اختر اليوم الأول.',
          chooseEnd: 'اختر اليوم الأخير.',
        },
      })}
    </div>`,
};

/** German: day.month.year, weeks from Monday, and the element's strings translated. */
export const German: Story = {
  args: {
    label: 'Aufenthalt',
    helpText: 'Anreise und Abreise.',
    locale: 'de-DE',
    value: '2026-03-09/2026-03-13',
  },
  render: (args) =>
    html`<div lang="de">
      ${renderRange(args, {
        strings: {
          start: 'Beginn',
          end: 'Ende',
          time: 'Uhrzeit',
          openCalendar: 'Daten wählen',
          closeCalendar: 'Schließen',
          previousMonth: 'Vorheriger Monat',
          nextMonth: 'Nächster Monat',
          chooseStart: 'Ersten Tag wählen.',
          chooseEnd: 'Letzten Tag wählen.',
        },
      })}
    </div>`,
};

/** The same range with the dark tokens (the toolbar's theme switch does this for any story). */
export const DarkTheme: Story = {
  args: { value: '2026-03-09/2026-03-13', standardPresets: 'this-month last-month' },
  globals: { theme: 'dark' },
};

/** `YYYY-MM-DD` plus `days` days. */
function plusDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
