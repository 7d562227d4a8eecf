import { AppError } from '../../lib/errors.js';

/** The AppError a call throws, or undefined when it returns: lets a test name the rule and the expected code. */
export function thrownBy(run: () => unknown): AppError | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  return undefined;
}

/** The code of the AppError a call throws, or undefined when it returns. */
export function codeOf(run: () => unknown): string | undefined {
  return thrownBy(run)?.code;
}
