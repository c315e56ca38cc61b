import { describe, expect, it } from 'vitest';
import { TAG_COLORS } from '../../web/src/lib/labels';

/** WCAG 2.x contrast of a colour against white (the text of a solid Ant Design tag). */
function contrastWithWhite(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return 1.05 / (luminance + 0.05);
}

describe('console tag colours', () => {
  it('every solid tag colour carries white text at WCAG AA (4.5:1), the yellow mark (黄牌预警) included', () => {
    for (const [name, hex] of Object.entries(TAG_COLORS))
      expect(contrastWithWhite(hex), `${name} ${hex}`).toBeGreaterThanOrEqual(4.5);
  });
});
