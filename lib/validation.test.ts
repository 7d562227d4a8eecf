import { describe, expect, test } from 'vitest';
import { AppError } from './errors.js';
import { emailAddress, httpUrl, optionalText, requiredText } from './validation.js';

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
