import { describe, expect, test } from 'vitest';
import { badgeStyle, defaultBadgeSvg, wrapName } from './default-image.js';
import { findSvgRoot, parseAttributes } from './svg-markup.js';

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((at) => {
    const channel = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

describe('default badge image', () => {
  test('is a 512×512 SVG with role="img", a <title> and a <desc> it is labelled by', () => {
    const svg = defaultBadgeSvg({ name: 'Intro to Data', issuerName: 'Cairn Academy', seed: 'a1' });
    const root = findSvgRoot(svg);
    const attributes = parseAttributes(svg.slice(root.start, root.end));
    expect(attributes.get('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(attributes.get('viewBox')).toBe('0 0 512 512');
    expect(attributes.get('role')).toBe('img');
    const [titleId, descId] = attributes.get('aria-labelledby')!.split(' ');
    expect(svg).toContain(`<title id="${titleId}">Intro to Data</title>`);
    expect(svg).toContain(`<desc id="${descId}">Intro to Data, issued by Cairn Academy</desc>`);
  });

  test('escapes <&>"\' in the name and the issuer name everywhere they appear', () => {
    const svg = defaultBadgeSvg({ name: `<script>alert("x")</script> & 'co'`, issuerName: `O'Brien & <Sons> "Ltd"`, seed: 's' });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;co&apos;');
    expect(svg).toContain('O&apos;Brien &amp; &lt;Sons&gt; &quot;Ltd&quot;');
    // Every "&" starts one of the escapes we emit, and no raw "<" hides in text.
    expect(svg.replace(/&(amp|lt|gt|quot|apos);/g, '')).not.toContain('&');
    for (const text of svg.match(/>[^<]*</g) ?? []) expect(text).not.toMatch(/["']/);
  });

  test('drops characters XML cannot hold instead of producing an invalid document', () => {
    const svg = defaultBadgeSvg({ name: 'Bad\u0000Char\uFFFF\uD800s', issuerName: '', seed: 's' });
    expect(svg).toContain('<title id="badge-title-');
    expect(svg).toMatch(/>BadChars</);
  });

  test('is deterministic for a seed, and different seeds give different looks', () => {
    const input = { name: 'Teamwork', issuerName: 'Example U', seed: 'urn:uuid:1' };
    expect(defaultBadgeSvg(input)).toBe(defaultBadgeSvg(input));
    const styles = new Set(Array.from({ length: 40 }, (_, n) => JSON.stringify(badgeStyle(`seed-${n}`))));
    expect(styles.size).toBeGreaterThan(30);
    const shapes = new Set(Array.from({ length: 200 }, (_, n) => badgeStyle(`seed-${n}`).shape));
    expect(shapes.size).toBe(5);
  });

  test('text meets WCAG AA contrast (4.5:1) on the background for every seed tried', () => {
    for (let n = 0; n < 500; n += 1) {
      const style = badgeStyle(`contrast-${n}`);
      expect(contrast(style.text, style.background)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(style.subtleText, style.background)).toBeGreaterThanOrEqual(4.5);
    }
  });

  test('long names wrap over at most three lines and are truncated with an ellipsis', () => {
    expect(wrapName('Teamwork')).toEqual(['Teamwork']);
    expect(wrapName('Introduction to Data Analysis with Python')).toHaveLength(3);
    const long = wrapName('A very long achievement name that keeps going well beyond anything a badge can show at a readable size');
    expect(long).toHaveLength(3);
    expect(long[2]!.endsWith('…')).toBe(true);
    for (const line of long) expect(Array.from(line).length).toBeLessThanOrEqual(22);
    expect(wrapName('Kommunikation & Präsentation')).toEqual(['Kommunikation', '& Präsentation']);
    expect(wrapName('Supercalifragilisticexpialidociously-speaking')).toEqual(['Supercalifragilisticex', 'pialidociously-speaking'.slice(0, 22), 'g']);
  });

  test('a blank name is a programmer error', () => {
    expect(() => defaultBadgeSvg({ name: '  ', issuerName: 'x', seed: 's' })).toThrow(TypeError);
  });
});
