import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { installTheme, uninstallTheme } from '../../../components/core/theme.ts';
import { darkTokens, lightTokens, token } from '../../../components/core/tokens.ts';
import '../../../components/ui/text-field.ts';

const root = document.documentElement;

function rootToken(name: string): string {
  return getComputedStyle(root).getPropertyValue(`--ab-${name}`).trim();
}

/** The label colour of a text field, which reads `--ab-color-text-muted`. */
async function labelColour(): Promise<string> {
  const el = await fixture(html`<ab-text-field label="City"></ab-text-field>`);
  return getComputedStyle(el.shadowRoot!.querySelector('[part~="label"]')!).color;
}

function rgbOf(hex: string): string {
  const probe = document.createElement('span');
  probe.style.color = hex;
  document.body.append(probe);
  const colour = getComputedStyle(probe).color;
  probe.remove();
  return colour;
}

describe('theme', () => {
  afterEach(async () => {
    delete root.dataset.abTheme;
    await emulateMedia({ colorScheme: 'light' });
    installTheme();
  });

  it('is installed once, on import', () => {
    const sheets = document.adoptedStyleSheets.length;
    const sheet = installTheme();
    expect(installTheme()).to.equal(sheet);
    expect(document.adoptedStyleSheets.length).to.equal(sheets);
    expect(document.adoptedStyleSheets).to.include(sheet);
  });

  it('gives the light tokens by default', () => {
    expect(rootToken('color-primary')).to.equal(lightTokens['color-primary']);
    expect(rootToken('radius-m')).to.equal(lightTokens['radius-m']);
  });

  it('switches to the dark tokens with data-ab-theme="dark"', async () => {
    root.dataset.abTheme = 'dark';
    expect(rootToken('color-primary')).to.equal(darkTokens['color-primary']);
    expect(await labelColour()).to.equal(rgbOf(darkTokens['color-text-muted']));
  });

  it('follows a dark system preference unless the page says light', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    expect(rootToken('color-surface')).to.equal(darkTokens['color-surface']);
    root.dataset.abTheme = 'light';
    expect(rootToken('color-surface')).to.equal(lightTokens['color-surface']);
  });

  it('leaves elements looking right without the theme', async () => {
    uninstallTheme();
    expect(rootToken('color-primary')).to.equal('');
    expect(await labelColour()).to.equal(rgbOf(lightTokens['color-text-muted']));
  });

  it('writes token references with the light value as fallback', () => {
    const expected = `var(--ab-color-danger, ${lightTokens['color-danger']})`;
    expect(token('color-danger').cssText).to.equal(expected);
  });
});
