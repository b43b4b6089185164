// Immutable sets of integers stored as sorted, disjoint, non-adjacent closed intervals.

export interface Interval {
  readonly start: number;
  readonly end: number;
}

/** An immutable canonical set of integers: equal sets have equal interval lists. */
export class IntervalSet {
  static readonly EMPTY = new IntervalSet([]);

  private constructor(readonly intervals: readonly Interval[]) {}

  static of(start: number, end: number): IntervalSet {
    return start > end ? IntervalSet.EMPTY : new IntervalSet([{ start, end }]);
  }

  /** Builds a canonical set from intervals in any order, overlapping or adjacent. */
  static fromIntervals(intervals: readonly Interval[]): IntervalSet {
    const sorted = intervals.filter((i) => i.start <= i.end).sort((a, b) => a.start - b.start);
    const merged: Interval[] = [];
    for (const interval of sorted) {
      const last = merged[merged.length - 1];
      if (last !== undefined && interval.start <= last.end + 1) {
        if (interval.end > last.end) merged[merged.length - 1] = { start: last.start, end: interval.end };
      } else {
        merged.push(interval);
      }
    }
    return merged.length === 0 ? IntervalSet.EMPTY : new IntervalSet(merged);
  }

  get isEmpty(): boolean {
    return this.intervals.length === 0;
  }

  has(value: number): boolean {
    let low = 0;
    let high = this.intervals.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const interval = this.intervals[mid]!;
      if (value < interval.start) high = mid - 1;
      else if (value > interval.end) low = mid + 1;
      else return true;
    }
    return false;
  }

  union(other: IntervalSet): IntervalSet {
    if (other.isEmpty) return this;
    if (this.isEmpty) return other;
    return IntervalSet.fromIntervals([...this.intervals, ...other.intervals]);
  }

  intersect(other: IntervalSet): IntervalSet {
    if (this.isEmpty || other.isEmpty) return IntervalSet.EMPTY;
    const result: Interval[] = [];
    let i = 0;
    let j = 0;
    while (i < this.intervals.length && j < other.intervals.length) {
      const a = this.intervals[i]!;
      const b = other.intervals[j]!;
      const start = Math.max(a.start, b.start);
      const end = Math.min(a.end, b.end);
      if (start <= end) result.push({ start, end });
      if (a.end < b.end) i++;
      else j++;
    }
    return result.length === 0 ? IntervalSet.EMPTY : new IntervalSet(result);
  }

  /** The members of `this` that are not in `other`. */
  subtract(other: IntervalSet): IntervalSet {
    if (this.isEmpty || other.isEmpty) return this;
    const result: Interval[] = [];
    for (const interval of this.intervals) {
      let start = interval.start;
      for (const cut of other.intervals) {
        if (cut.end < start || cut.start > interval.end) continue;
        if (cut.start > start) result.push({ start, end: cut.start - 1 });
        start = cut.end + 1;
        if (start > interval.end) break;
      }
      if (start <= interval.end) result.push({ start, end: interval.end });
    }
    return result.length === 0 ? IntervalSet.EMPTY : new IntervalSet(result);
  }

  equals(other: IntervalSet): boolean {
    if (this === other) return true;
    if (this.intervals.length !== other.intervals.length) return false;
    return this.intervals.every((a, k) => a.start === other.intervals[k]!.start && a.end === other.intervals[k]!.end);
  }

  /** True when every member of `this` is in `other`. */
  isSubsetOf(other: IntervalSet): boolean {
    return this.subtract(other).isEmpty;
  }

  /** `80,8080-8090` (the connlist notation). */
  toString(): string {
    return this.intervals.map((i) => (i.start === i.end ? `${i.start}` : `${i.start}-${i.end}`)).join(',');
  }
}
