/**
 * The baseline for `phold`: a binary heap over typed arrays with no handles, no cancel and no
 * handler dispatch. It keeps the kernel's (time, seq) order so both sides do the same ordering
 * work and produce the same event sequence.
 */
export class BareHeap {
  private times: Float64Array;
  private seqs: Float64Array;
  private values: Int32Array;
  private count = 0;
  private nextSeq = 0;

  constructor(capacity: number) {
    this.times = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.values = new Int32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(time: number, value: number): void {
    if (this.count === this.times.length) this.grow();
    const times = this.times;
    const seqs = this.seqs;
    const values = this.values;
    const seq = this.nextSeq++;
    let pos = this.count++;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const pt = times[parent] as number;
      // seq only rises, so an equal-time parent always precedes the new entry.
      if (pt <= time) break;
      times[pos] = pt;
      seqs[pos] = seqs[parent] as number;
      values[pos] = values[parent] as number;
      pos = parent;
    }
    times[pos] = time;
    seqs[pos] = seq;
    values[pos] = value;
  }

  /** Time of the earliest entry; only valid when size > 0. */
  topTime(): number {
    return this.times[0] as number;
  }

  /** Removes the earliest entry and returns its value; only valid when size > 0. */
  pop(): number {
    const times = this.times;
    const seqs = this.seqs;
    const values = this.values;
    const top = values[0] as number;
    const n = --this.count;
    const lt = times[n] as number;
    const ls = seqs[n] as number;
    const lv = values[n] as number;
    let pos = 0;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= n) break;
      let ct = times[child] as number;
      const right = child + 1;
      if (right < n) {
        const rt = times[right] as number;
        if (rt < ct || (rt === ct && (seqs[right] as number) < (seqs[child] as number))) {
          child = right;
          ct = rt;
        }
      }
      if (lt < ct || (lt === ct && ls < (seqs[child] as number))) break;
      times[pos] = ct;
      seqs[pos] = seqs[child] as number;
      values[pos] = values[child] as number;
      pos = child;
    }
    times[pos] = lt;
    seqs[pos] = ls;
    values[pos] = lv;
    return top;
  }

  private grow(): void {
    const n = this.times.length * 2;
    const t = new Float64Array(n);
    t.set(this.times);
    this.times = t;
    const s = new Float64Array(n);
    s.set(this.seqs);
    this.seqs = s;
    const v = new Int32Array(n);
    v.set(this.values);
    this.values = v;
  }
}
