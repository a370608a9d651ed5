/** The widget ships to every patient on every practice site: its first screen within 13 KB gzipped, all of it within 25 KB. */
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_IN_BUDGET_BYTES, FIRST_PAINT_BUDGET_BYTES, widgetWeights, type WidgetWeight } from './bundle-size.js';

describe('the widget as built', () => {
  let weights: WidgetWeight[];
  beforeAll(async () => {
    weights = await widgetWeights();
  });

  it('fetches at most 13 KB gzipped before the status line can show, in French and in English', () => {
    for (const { lang, firstPaint, files } of weights) {
      expect({ lang, firstPaint, files: files.filter((f) => f.firstPaint) }).toEqual({ lang, firstPaint: expect.toSatisfy((n: number) => n <= FIRST_PAINT_BUDGET_BYTES), files: expect.anything() });
    }
  });

  it('weighs at most 25 KB gzipped with the form and all its sentences, in French and in English', () => {
    for (const { lang, allIn, files } of weights) {
      expect({ lang, allIn, files }).toEqual({ lang, allIn: expect.toSatisfy((n: number) => n <= ALL_IN_BUDGET_BYTES), files: expect.anything() });
    }
  });

  it('draws every element on screen-element.ts, not on LitElement, Lit decorators or zod, which would cost 4 to 8 KB', () => {
    const heavy = readdirSync('widget', { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) => [...readFileSync(`widget/${file}`, 'utf8').matchAll(/^import (?!type )[^;]*from '(lit|lit\/decorators\.js|zod(?:\/[\w-]+)?)';/gm)].map((m) => `${file}: ${m[1]}`));
    expect(heavy).toEqual([]);
  });

  it('splits the first screen from the form, and each language from the other', () => {
    for (const { lang, files } of weights) {
      const first = files.filter((f) => f.firstPaint).map((f) => f.name);
      // widget.js and the first screen's sentences: one round trip for the code, one beside the practice's configuration.
      expect(first).toEqual(['widget.js', expect.stringMatching(new RegExp(`^widget/${lang}-[A-Z0-9]+\\.js$`))]);
      expect(files.map((f) => f.name)).toContainEqual(expect.stringMatching(/^widget\/form-[A-Z0-9]+\.js$/));
      expect(files.map((f) => f.name).filter((name) => /\/(fr|en)-/.test(name)).every((name) => name.startsWith(`widget/${lang}-`))).toBe(true);
    }
    // A bundle this small would mean the entry lost its elements, not that we got good at compression.
    expect(weights[0]!.firstPaint).toBeGreaterThan(8_000);
  });
});
