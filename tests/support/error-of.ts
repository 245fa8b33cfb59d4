/**
 * What `fn` throws, or undefined when it returns: lets a test check a thrown error's fields with one
 * unconditional expect (jest/no-conditional-expect) instead of an expect inside a catch block.
 */
export function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }

  return undefined;
}
