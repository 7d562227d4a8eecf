import { describe, expect, it, test } from 'vitest';
import { AppError } from './errors.js';
import { emailAddress, httpUrl, imageUrl, optionalText, requiredText } from './validation.js';

function fieldOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('BAD_USER_INPUT');
    return (error as AppError).details.field;
  }
  return 'no error';
}

describe('input rules shared by every subgraph', () => {
  test('required text is trimmed, non-empty and bounded', () => {
    expect(requiredText('  a  ', 'name', 3)).toBe('a');
    expect(fieldOf(() => requiredText('   ', 'name', 3))).toBe('name');
    expect(fieldOf(() => requiredText('abcd', 'name', 3))).toBe('name');
  });

  test('optional text is null when blank and bounded otherwise', () => {
    expect(optionalText(' ', 'description', 3)).toBeNull();
    expect(optionalText(undefined, 'description', 3)).toBeNull();
    expect(fieldOf(() => optionalText('abcd', 'description', 3))).toBe('description');
  });

  test('URLs must be absolute http(s) and come back canonical', () => {
    expect(httpUrl(' https://Example.org ', 'url')).toBe('https://example.org/');
    expect(fieldOf(() => httpUrl('example.org', 'url'))).toBe('url');
    expect(fieldOf(() => httpUrl('javascript:alert(1)', 'image'))).toBe('image');
  });

  test('e-mail addresses are lowercased and checked', () => {
    expect(emailAddress(' Ada@Example.COM ', 'email')).toBe('ada@example.com');
    expect(fieldOf(() => emailAddress('ada', 'email'))).toBe('email');
    expect(fieldOf(() => emailAddress(`${'a'.repeat(250)}@x.io`, 'email'))).toBe('email');
  });
});

describe('imageUrl', () => {
  const svg = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64')}`;
  it('takes http(s) URLs and base64 PNG or SVG data: URIs (uploaded images)', () => {
    expect(imageUrl(' https://img.example/badge.png ', 'image.url')).toBe('https://img.example/badge.png');
    expect(imageUrl(svg, 'image.url')).toBe(svg);
    expect(imageUrl('data:image/png;base64,iVBORw0KGgo=', 'image.url')).toBe('data:image/png;base64,iVBORw0KGgo=');
  });
  it('refuses other data: URIs, other schemes and images too large to travel in every credential', () => {
    expect(() => imageUrl('data:text/html;base64,PGgxPg==', 'image.url')).toThrow(/base64 data: URI of a PNG or SVG image/);
    expect(() => imageUrl('data:image/svg+xml,<svg/>', 'image.url')).toThrow(/base64 data: URI/);
    expect(() => imageUrl('javascript:alert(1)', 'image.url')).toThrow(/http\(s\) URL/);
    expect(() => imageUrl(`data:image/png;base64,${'A'.repeat(400_000)}`, 'image.url')).toThrow(/at most 350000 fit in a credential/);
  });
});
