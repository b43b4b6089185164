// One text kept from call to call, so that analyses of the same input compare their keys by identity.

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
