// A growable list of int32 for the per-character work of the aligner. Large JS arrays that grow while other
// garbage is made are copied by every young-generation GC until promoted: measured super-linear on long texts.

/** Int32 values in a typed array that doubles when full; read `data` up to `length`. */
export class IntList {
  data: Int32Array;
  length = 0;

  constructor(capacity = 16) {
    this.data = new Int32Array(capacity);
  }

  push(a: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = a;
  }

  push2(a: number, b: number): void {
    if (this.length + 2 > this.data.length) this.grow();
    this.data[this.length++] = a;
    this.data[this.length++] = b;
  }

  clear(): void {
    this.length = 0;
  }

  private grow(): void {
    const data = new Int32Array(this.data.length * 2 + 16);
    data.set(this.data);
    this.data = data;
  }
}
