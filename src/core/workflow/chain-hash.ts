/**
 * SHA-256 of a text, its first hex digits: the Countersign Log's row hash (log.ts `chainHash`).
 * The same digest as @noble/hashes' `sha256(utf8ToBytes(text))` (test/workflow/chain-hash.test.ts
 * compares them), written for this one use: `check` hashes every row of a log of hundreds of
 * thousands, and the general function allocates a hasher, a byte array and a 64-digit hex string
 * per row. Here the text is encoded as UTF-8 into one reused buffer, the blocks are compressed
 * into one reused state, and only the digits asked for are formatted. Pure and synchronous, as
 * core must be (Node's crypto is not in the browser nor in Excel's runtime).
 */

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const INITIAL = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

const W = new Uint32Array(64);
const H = new Uint32Array(8);
/** The padded message of the last call; grown when a text needs more. */
let buf = new Uint8Array(512);

/** Writes `s` as UTF-8 (a lone surrogate as U+FFFD, as TextEncoder does) into `buf` from 0; returns its length. */
function encode(s: string): number {
  // At most 3 bytes per UTF-16 unit, then the padding (1 + up to 63 + 8 bytes).
  const need = s.length * 3 + 72;
  if (buf.length < need) buf = new Uint8Array(Math.max(need, buf.length * 2));
  const b = buf;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      b[n++] = c;
      continue;
    }
    if (c < 0x800) {
      b[n++] = 0xc0 | (c >> 6);
      b[n++] = 0x80 | (c & 63);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        b[n++] = 0xf0 | (c >> 18);
        b[n++] = 0x80 | ((c >> 12) & 63);
        b[n++] = 0x80 | ((c >> 6) & 63);
        b[n++] = 0x80 | (c & 63);
        continue;
      }
      c = 0xfffd;
    }
    b[n++] = 0xe0 | (c >> 12);
    b[n++] = 0x80 | ((c >> 6) & 63);
    b[n++] = 0x80 | (c & 63);
  }
  return n;
}

/** Compresses the 64-byte block of `buf` at `at` into H. */
function block(at: number): void {
  const b = buf;
  for (let t = 0; t < 16; t++) {
    const k = at + t * 4;
    W[t] = (b[k] << 24) | (b[k + 1] << 16) | (b[k + 2] << 8) | b[k + 3];
  }
  for (let t = 16; t < 64; t++) {
    const w15 = W[t - 15];
    const w2 = W[t - 2];
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[t] = (s1 + W[t - 7] + s0 + W[t - 16]) | 0;
  }
  let a = H[0];
  let bb = H[1];
  let c = H[2];
  let d = H[3];
  let e = H[4];
  let f = H[5];
  let g = H[6];
  let h = H[7];
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[t] + W[t]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & bb) ^ (a & c) ^ (bb & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = bb;
    bb = a;
    a = (t1 + t2) | 0;
  }
  H[0] += a;
  H[1] += bb;
  H[2] += c;
  H[3] += d;
  H[4] += e;
  H[5] += f;
  H[6] += g;
  H[7] += h;
}

/** Two hex digits of each byte (Number#toString(16) costs more than the whole compression). */
const HEX = Array.from({ length: 256 }, (_, i) => (i < 16 ? "0" : "") + i.toString(16));
const hex8 = (x: number): string => HEX[x >>> 24] + HEX[(x >>> 16) & 255] + HEX[(x >>> 8) & 255] + HEX[x & 255];

/** The first `digits` (1–64) lowercase hex digits of SHA-256 over `text` as UTF-8. */
export function sha256Hex(text: string, digits = 64): string {
  const len = encode(text);
  // Padding: 0x80, zeros up to 56 mod 64, then the length in bits as 64-bit big-endian.
  let n = len;
  buf[n++] = 0x80;
  while (n % 64 !== 56) buf[n++] = 0;
  const bits = len * 8;
  const high = Math.floor(bits / 0x100000000);
  buf[n++] = high >>> 24;
  buf[n++] = (high >>> 16) & 255;
  buf[n++] = (high >>> 8) & 255;
  buf[n++] = high & 255;
  buf[n++] = bits >>> 24;
  buf[n++] = (bits >>> 16) & 255;
  buf[n++] = (bits >>> 8) & 255;
  buf[n++] = bits & 255;
  H.set(INITIAL);
  for (let at = 0; at < n; at += 64) block(at);
  let out = "";
  for (let i = 0; out.length < digits; i++) out += hex8(H[i]);
  return out.length === digits ? out : out.slice(0, digits);
}
