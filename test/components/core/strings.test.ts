import { expect } from '@open-wc/testing';
import { resolveStrings, setStrings } from '../../../components/core/strings.ts';

const defaults = { clear: 'Clear', counter: (used: number, max: number) => `${used} of ${max}` };

describe('translatable strings', () => {
  it('falls back to the defaults', () => {
    const strings = resolveStrings('ab-test-strings-a', defaults, undefined);
    expect(strings.clear).to.equal('Clear');
    expect(strings.counter(3, 10)).to.equal('3 of 10');
  });

  it('lets the page override a tag, and an instance override the page', () => {
    setStrings<typeof defaults>('ab-test-strings-b', { clear: 'Löschen', counter: (u, m) => `${u} von ${m}` });
    const page = resolveStrings('ab-test-strings-b', defaults, undefined);
    expect(page.clear).to.equal('Löschen');
    expect(page.counter(3, 10)).to.equal('3 von 10');
    const instance = resolveStrings('ab-test-strings-b', defaults, { clear: 'Effacer' });
    expect(instance.clear).to.equal('Effacer');
    expect(instance.counter(1, 2)).to.equal('1 von 2');
  });

  it('keeps tags apart', () => {
    setStrings<typeof defaults>('ab-test-strings-c', { clear: 'Vider' });
    expect(resolveStrings('ab-test-strings-d', defaults, undefined).clear).to.equal('Clear');
  });
});
