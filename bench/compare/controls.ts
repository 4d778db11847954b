/**
 * @module
 * Which control of which library stands against which `ab-` element in the side-by-side
 * benchmark. A library without a matching control has no entry ("where they have one"). Each
 * entry names the one module that defines the control, so its bundle holds that control and
 * whatever it needs (its framework included), nothing else.
 */

/** A library in the comparison. */
export type Library = 'ab' | 'shoelace' | 'webawesome' | 'vaadin' | 'material' | 'native';

/** One control of one library: what to import and how to write one instance. */
export interface Contender {
  library: Library;
  /** The module that defines the control (resolved from the project root); none for native. */
  module: string | null;
  /** One instance as HTML; `{i}` becomes its index. */
  html: string;
  /** The tag whose definition the page waits for; null for native. */
  tag: string | null;
}

/** A control and its contenders. */
export interface Control {
  name: string;
  contenders: Contender[];
}

const field = 'name="f{i}" label="Field {i}"';

/** Every control compared, with the `ab-` element first. */
export const controls: Control[] = [
  {
    name: 'text field',
    contenders: [
      { library: 'ab', module: './dist/ui/text-field.js', tag: 'ab-text-field',
        html: `<ab-text-field ${field}></ab-text-field>` },
      { library: 'shoelace', module: '@shoelace-style/shoelace/dist/components/input/input.js',
        tag: 'sl-input', html: `<sl-input ${field}></sl-input>` },
      { library: 'webawesome', module: '@awesome.me/webawesome/dist/components/input/input.js',
        tag: 'wa-input', html: `<wa-input ${field}></wa-input>` },
      { library: 'vaadin', module: '@vaadin/text-field', tag: 'vaadin-text-field',
        html: `<vaadin-text-field ${field}></vaadin-text-field>` },
      { library: 'material', module: '@material/web/textfield/outlined-text-field.js',
        tag: 'md-outlined-text-field', html: `<md-outlined-text-field ${field}></md-outlined-text-field>` },
      { library: 'native', module: null, tag: null,
        html: '<label>Field {i} <input name="f{i}"></label>' },
    ],
  },
  {
    name: 'textarea',
    contenders: [
      { library: 'ab', module: './dist/ui/textarea.js', tag: 'ab-textarea',
        html: `<ab-textarea ${field}></ab-textarea>` },
      { library: 'shoelace', module: '@shoelace-style/shoelace/dist/components/textarea/textarea.js',
        tag: 'sl-textarea', html: `<sl-textarea ${field}></sl-textarea>` },
      { library: 'webawesome',
        module: '@awesome.me/webawesome/dist/components/textarea/textarea.js',
        tag: 'wa-textarea', html: `<wa-textarea ${field}></wa-textarea>` },
      { library: 'vaadin', module: '@vaadin/text-area', tag: 'vaadin-text-area',
        html: `<vaadin-text-area ${field}></vaadin-text-area>` },
      { library: 'material', module: '@material/web/textfield/outlined-text-field.js',
        tag: 'md-outlined-text-field',
        html: `<md-outlined-text-field type="textarea" ${field}></md-outlined-text-field>` },
      { library: 'native', module: null, tag: null,
        html: '<label>Field {i} <textarea name="f{i}"></textarea></label>' },
    ],
  },
  {
    name: 'color picker',
    contenders: [
      { library: 'ab', module: './dist/ui/color-picker.js', tag: 'ab-color-picker',
        html: `<ab-color-picker ${field} value="#336699"></ab-color-picker>` },
      { library: 'shoelace',
        module: '@shoelace-style/shoelace/dist/components/color-picker/color-picker.js',
        tag: 'sl-color-picker', html: `<sl-color-picker ${field} value="#336699"></sl-color-picker>` },
      { library: 'webawesome',
        module: '@awesome.me/webawesome/dist/components/color-picker/color-picker.js',
        tag: 'wa-color-picker', html: `<wa-color-picker ${field} value="#336699"></wa-color-picker>` },
      { library: 'native', module: null, tag: null,
        html: '<label>Field {i} <input type="color" name="f{i}" value="#336699"></label>' },
    ],
  },
  {
    name: 'tag input',
    contenders: [
      { library: 'ab', module: './dist/ui/tag-input.js', tag: 'ab-tag-input',
        html: `<ab-tag-input ${field}></ab-tag-input>` },
      { library: 'vaadin', module: '@vaadin/multi-select-combo-box',
        tag: 'vaadin-multi-select-combo-box',
        html: `<vaadin-multi-select-combo-box ${field} allow-custom-value></vaadin-multi-select-combo-box>` },
    ],
  },
  {
    name: 'date-time range',
    contenders: [
      { library: 'ab', module: './dist/ui/datetime-range.js', tag: 'ab-datetime-range',
        html: `<ab-datetime-range ${field} with-time></ab-datetime-range>` },
      // Vaadin has no range: a range is two of its date-time pickers.
      { library: 'vaadin', module: '@vaadin/date-time-picker', tag: 'vaadin-date-time-picker',
        html: '<vaadin-date-time-picker name="s{i}" label="Start {i}"></vaadin-date-time-picker>' +
          '<vaadin-date-time-picker name="e{i}" label="End {i}"></vaadin-date-time-picker>' },
      { library: 'native', module: null, tag: null,
        html: '<label>Start {i} <input type="datetime-local" name="s{i}"></label>' +
          '<label>End {i} <input type="datetime-local" name="e{i}"></label>' },
    ],
  },
];
