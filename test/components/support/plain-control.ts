/**
 * @packageDocumentation
 * `<ab-test-plain-control>`: the smallest control on `FormControlMixin` that keeps every default
 * hook (value, emptiness, validity), so the shared suite proves the mixin itself, apart from what
 * `ab-text-field` adds. Its inner input only carries the text; constraints are the mixin's.
 */
import { LitElement, html } from 'lit';
import { query } from 'lit/decorators.js';
import { FormControlMixin } from '../../../components/core/form-control.ts';

export class PlainControl extends FormControlMixin(LitElement) {
  static override shadowRootOptions: ShadowRootInit = {
    ...LitElement.shadowRootOptions,
    delegatesFocus: true,
  };

  @query('input') private input!: HTMLInputElement | null;

  protected override get validationAnchor(): HTMLInputElement | null {
    return this.input;
  }

  override render() {
    return html`
      <label for="input">${this.label}</label>
      <input
        id="input"
        .value=${this.value}
        ?disabled=${this.isDisabled}
        ?readonly=${this.readonly}
        @input=${(event: Event) => {
          event.stopPropagation();
          this.applyUserInput((event.target as HTMLInputElement).value);
        }}
        @change=${(event: Event) => {
          event.stopPropagation();
          this.commitUserInput();
        }}
        @keydown=${(event: KeyboardEvent) => {
          if (event.key === 'Enter') this.submitFormImplicitly();
        }}
      />
      <div part="error">${this.errorText}</div>
    `;
  }
}

if (!customElements.get('ab-test-plain-control')) {
  customElements.define('ab-test-plain-control', PlainControl);
}

declare global {
  interface HTMLElementTagNameMap {
    'ab-test-plain-control': PlainControl;
  }
}
