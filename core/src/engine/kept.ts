// Values kept from one analysis to the next, so that a language server's analysis after an edit reuses what the edit
// left unchanged.

/**
 * Returns the text given last time when equal to `text`, else `text`: a key that kept values are checked against is
 * then the same string from analysis to analysis, and comparing them is a pointer check rather than a walk over both.
 */
export class KeptText {
  private last = '';

  of(text: string): string {
    if (text !== this.last) this.last = text;
    return this.last;
  }
}

/** The same objects in the same order. */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
