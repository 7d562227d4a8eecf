/**
 * Reads until `until` holds or the time is up, then returns the last value: for effects that happen in the
 * background (event consumers), so the test asserts on what it finally saw instead of sleeping a fixed time.
 */
export async function eventually<T>(read: () => Promise<T>, until: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (until(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
