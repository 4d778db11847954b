import { expect } from '@open-wc/testing';
import {
  clamp,
  compositeOver,
  contrastMinimums,
  contrastRatio,
  describeColor,
  formatColor,
  hslToRgb,
  hsvToRgb,
  parseColor,
  relativeLuminance,
  rgbToHsl,
  rgbToHsv,
  type Rgba,
} from '../../../components/core/color.ts';

const rgb = (r: number, g: number, b: number, a = 1): Rgba => ({ r, g, b, a });
const hex = (color: Rgba) => formatColor(color, 'hex');
const ratioOf = (foreground: string, background: string) =>
  contrastRatio(parseColor(foreground)!, parseColor(background)!);

/** Every `step`-th colour of the 8-bit RGB cube, corners included. */
function* cube(step: number): Generator<Rgba> {
  const levels = [...Array(Math.floor(255 / step) + 1).keys()].map((i) => i * step);
  if (levels.at(-1) !== 255) levels.push(255);
  for (const r of levels) for (const g of levels) for (const b of levels) yield rgb(r, g, b);
}

describe('colour maths', () => {
  describe('parseColor reads', () => {
    it('hex in all four lengths, any case', () => {
      expect(parseColor('#369')).to.deep.equal(rgb(0x33, 0x66, 0x99));
      expect(parseColor('#336699')).to.deep.equal(rgb(0x33, 0x66, 0x99));
      expect(parseColor('  #ABCDEF ')).to.deep.equal(rgb(0xab, 0xcd, 0xef));
      expect(parseColor('#33669980')).to.deep.equal(rgb(0x33, 0x66, 0x99, 0x80 / 255));
      expect(parseColor('#3698')).to.deep.equal(rgb(0x33, 0x66, 0x99, 0x88 / 255));
    });

    it('rgb() and rgba() with commas, spaces, percentages and a slash alpha', () => {
      expect(parseColor('rgb(51, 102, 153)')).to.deep.equal(rgb(51, 102, 153));
      expect(parseColor('RGBA(51,102,153,0.5)')).to.deep.equal(rgb(51, 102, 153, 0.5));
      expect(parseColor('rgb(51 102 153 / 50%)')).to.deep.equal(rgb(51, 102, 153, 0.5));
      expect(parseColor('rgb(100% 0% 50%)')).to.deep.equal(rgb(255, 0, 127.5));
      expect(parseColor('rgba(51 102 153)')).to.deep.equal(rgb(51, 102, 153));
      expect(parseColor('rgb(.5e2, 1e2, 150.0)')).to.deep.equal(rgb(50, 100, 150));
    });

    it('hsl() and hsla(), hue in degrees or plain, wrapping round the circle', () => {
      expect(hex(parseColor('hsl(210, 50%, 40%)')!)).to.equal('#336699');
      expect(hex(parseColor('hsl(210deg 50% 40%)')!)).to.equal('#336699');
      expect(hex(parseColor('hsl(570 50 40)')!)).to.equal('#336699');
      expect(hex(parseColor('hsl(-150, 50%, 40%)')!)).to.equal('#336699');
      expect(parseColor('hsla(0, 100%, 50%, 0.25)')).to.deep.equal(rgb(255, 0, 0, 0.25));
    });

    it('out-of-range numbers clamped, as CSS does', () => {
      expect(parseColor('rgb(300, -5, 128)')).to.deep.equal(rgb(255, 0, 128));
      expect(parseColor('rgba(0, 0, 0, 1.5)')!.a).to.equal(1);
      expect(parseColor('rgba(0, 0, 0, -1)')!.a).to.equal(0);
      expect(parseColor('hsl(0, 150%, 120%)')).to.deep.equal(rgb(255, 255, 255));
      expect(parseColor('rgb(120% 0 0)')!.r).to.equal(255);
    });
  });

  describe('parseColor refuses', () => {
    const refused = [
      '',
      'red',
      'transparent',
      '336699',
      '#12',
      '#12345',
      '#1234567',
      '#ggg',
      'rgb(1, 2)',
      'rgb(1, 2, 3, 4, 5)',
      'rgb(1 2 3 4)',
      'rgb(1 2 3 / 0.5 / 1)',
      'rgb(1, 2, x)',
      'rgb(10deg, 2, 3)',
      'rgb(1, 2, 3, 4deg)',
      'hsl(50%, 50%, 50%)',
      'hsl(10, 5deg, 50%)',
      'hsl(10, 50%, 5deg)',
      'hwb(10 20% 30%)',
      'rgb(1, 2, 3) junk',
      'color(srgb 1 0 0)',
    ];
    for (const text of refused) {
      it(`"${text}"`, () => {
        expect(parseColor(text)).to.equal(null);
      });
    }
  });

  describe('conversions', () => {
    it('convert known colours between RGB, HSV and HSL', () => {
      expect(rgbToHsv(rgb(51, 102, 153))).to.deep.include({ h: 210, s: (2 / 3) * 100, v: 60 });
      const hsl = rgbToHsl(rgb(51, 102, 153));
      expect(hsl.h).to.equal(210);
      expect(hsl.s).to.be.closeTo(50, 1e-9);
      expect(hsl.l).to.be.closeTo(40, 1e-9);
      expect(hex(hsvToRgb({ h: 120, s: 100, v: 100, a: 1 }))).to.equal('#00ff00');
      expect(hex(hslToRgb({ h: 240, s: 100, l: 25, a: 1 }))).to.equal('#000080');
      expect(rgbToHsv(rgb(255, 0, 255)).h).to.equal(300);
      expect(rgbToHsv(rgb(255, 0, 1)).h).to.be.closeTo(359.76, 0.01);
    });

    it('give greys hue 0 and saturation 0', () => {
      expect(rgbToHsv(rgb(128, 128, 128))).to.deep.include({ h: 0, s: 0 });
      expect(rgbToHsl(rgb(128, 128, 128))).to.deep.include({ h: 0, s: 0 });
      expect(rgbToHsv(rgb(0, 0, 0))).to.deep.equal({ h: 0, s: 0, v: 0, a: 1 });
    });

    it('treat hue 360 as 0 and clamp saturation and value', () => {
      expect(hex(hsvToRgb({ h: 360, s: 100, v: 100, a: 1 }))).to.equal('#ff0000');
      expect(hex(hsvToRgb({ h: 0, s: 140, v: 120, a: 1 }))).to.equal('#ff0000');
      expect(hex(hslToRgb({ h: -120, s: -5, l: 50, a: 1 }))).to.equal('#808080');
    });

    it('round-trip hex -> rgb -> hsv -> rgb -> hex exactly across the RGB cube', () => {
      for (const color of cube(5)) {
        expect(hex(hsvToRgb(rgbToHsv(color)))).to.equal(hex(color));
      }
    });

    it('round-trip hex -> rgb -> hsl -> rgb -> hex exactly across the RGB cube', () => {
      for (const color of cube(5)) {
        expect(hex(hslToRgb(rgbToHsl(color)))).to.equal(hex(color));
      }
    });

    it('round-trip hsv -> hsl -> hsv through rgb', () => {
      const hsv = { h: 200, s: 40, v: 70, a: 1 };
      const back = rgbToHsv(hslToRgb(rgbToHsl(hsvToRgb(hsv))));
      expect(back.h).to.be.closeTo(200, 1e-9);
      expect(back.s).to.be.closeTo(40, 1e-9);
      expect(back.v).to.be.closeTo(70, 1e-9);
    });

    it('clamp limits a number and turns NaN into the minimum', () => {
      expect(clamp(5, 0, 3)).to.equal(3);
      expect(clamp(-1, 0, 3)).to.equal(0);
      expect(clamp(Number.NaN, 0, 3)).to.equal(0);
    });
  });

  describe('formatColor', () => {
    it('writes each notation, with alpha only when not opaque', () => {
      const color = rgb(51, 102, 153);
      expect(formatColor(color, 'hex')).to.equal('#336699');
      expect(formatColor(color, 'rgb')).to.equal('rgb(51, 102, 153)');
      expect(formatColor(color, 'hsl')).to.equal('hsl(210, 50%, 40%)');
      const translucent = rgb(51, 102, 153, 0.5);
      expect(formatColor(translucent, 'hex')).to.equal('#33669980');
      expect(formatColor(translucent, 'rgb')).to.equal('rgba(51, 102, 153, 0.5)');
      expect(formatColor(translucent, 'hsl')).to.equal('hsla(210, 50%, 40%, 0.5)');
    });

    it('rounds and clamps channels', () => {
      expect(formatColor(rgb(254.6, -3, 300, 2), 'rgb')).to.equal('rgb(255, 0, 255)');
      expect(formatColor(rgb(0, 0, 0, 0), 'hex')).to.equal('#00000000');
    });

    it('keeps every hex alpha step through rgba() text', () => {
      for (let byte = 0; byte < 255; byte++) {
        const color = rgb(10, 20, 30, byte / 255);
        expect(hex(parseColor(formatColor(color, 'rgb'))!)).to.equal(hex(color));
      }
    });

    it('keeps every colour through its own text in each notation', () => {
      for (const color of cube(15)) {
        const expected = hex(color);
        expect(hex(parseColor(formatColor(color, 'rgb'))!)).to.equal(expected);
        expect(hex(parseColor(formatColor(color, 'hsl'))!)).to.equal(expected);
        expect(hex(parseColor(expected)!)).to.equal(expected);
      }
    });
  });

  describe('contrast', () => {
    it('matches the known WCAG examples', () => {
      expect(ratioOf('#000', '#fff')).to.equal(21);
      expect(ratioOf('#fff', '#fff')).to.equal(1);
      expect(ratioOf('#777', '#fff').toFixed(2)).to.equal('4.48');
      expect(ratioOf('#767676', '#fff').toFixed(2)).to.equal('4.54');
      expect(ratioOf('#595959', '#fff').toFixed(2)).to.equal('7.00');
      expect(ratioOf('#ff0000', '#ffffff').toFixed(2)).to.equal('4.00');
      expect(ratioOf('#0000ff', '#ffffff').toFixed(2)).to.equal('8.59');
    });

    it('is the same whichever colour is in front', () => {
      expect(ratioOf('#336699', '#ffcc00')).to.equal(ratioOf('#ffcc00', '#336699'));
    });

    it('compares unrounded: #777 on white shows 4.48 yet fails AA for normal text', () => {
      const ratio = ratioOf('#777', '#fff');
      expect(ratio).to.be.below(contrastMinimums.aaNormal);
      expect(ratio).to.be.at.least(contrastMinimums.aaLarge);
    });

    it('lays a translucent colour over the background first', () => {
      expect(ratioOf('rgba(0, 0, 0, 0)', '#fff')).to.equal(1);
      const grey = rgb(127.5, 127.5, 127.5);
      const white = rgb(255, 255, 255);
      expect(ratioOf('rgba(0, 0, 0, 0.5)', '#fff')).to.equal(contrastRatio(grey, white));
      expect(compositeOver(rgb(0, 0, 0, 0.5), white)).to.deep.equal(grey);
    });

    it('has the relative luminance of black, white and a primary', () => {
      expect(relativeLuminance(rgb(0, 0, 0))).to.equal(0);
      expect(relativeLuminance(rgb(255, 255, 255))).to.equal(1);
      expect(relativeLuminance(rgb(0, 255, 0))).to.be.closeTo(0.7152, 1e-12);
    });
  });

  describe('describeColor', () => {
    const cases: Array<[string, string, string]> = [
      ['#000000', 'black', ''],
      ['#ffffff', 'white', ''],
      ['#808080', 'grey', ''],
      ['#333333', 'grey', 'dark'],
      ['#ff0000', 'red', ''],
      ['#ff1a40', 'red', ''],
      ['#ff8000', 'orange', ''],
      ['#8b4513', 'brown', ''],
      ['#ffff00', 'yellow', ''],
      ['#00ff00', 'green', ''],
      ['#00ffff', 'cyan', ''],
      ['#336699', 'blue', ''],
      ['#000080', 'blue', 'dark'],
      ['#add8e6', 'blue', 'light'],
      ['#800080', 'purple', 'dark'],
      ['#ff00ff', 'purple', ''],
      ['#ff69b4', 'pink', 'light'],
      ['#c71585', 'pink', ''],
    ];
    for (const [text, family, tone] of cases) {
      it(`calls ${text} ${tone} ${family}`, () => {
        expect(describeColor(parseColor(text)!)).to.deep.equal({ family, tone });
      });
    }
  });
});
