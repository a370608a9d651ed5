/** The widget ships to every patient on every practice site: its bundle stays under 25 KB gzipped. */
import { describe, expect, it } from 'vitest';
import { WIDGET_BUDGET_BYTES, widgetBundleSize } from './bundle-size.js';

describe('widget.js bundle', () => {
  it('weighs less than 25 KB gzipped (level 9)', async () => {
    const { gzipped, raw } = await widgetBundleSize();
    // A bundle this small would mean the entry lost its elements, not that we got good at compression.
    expect(raw).toBeGreaterThan(10_000);
    expect(gzipped).toBeLessThan(WIDGET_BUDGET_BYTES);
  });
});
