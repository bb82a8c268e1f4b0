/** The log's own SHA-256 (core/workflow/chain-hash.ts) gives @noble/hashes' digest for every text. */
import { sha256 } from "@noble/hashes/sha256";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils";
import { toSerial } from "../../src/core/calendar";
import { sha256Hex } from "../../src/core/workflow/chain-hash";
import { GENESIS, chainHash } from "../../src/core/workflow/log";

const noble = (s: string) => bytesToHex(sha256(utf8ToBytes(s)));

describe("sha256Hex", () => {
  test("the standard vectors", () => {
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
  });

  test("every length around the block and padding boundaries, in one, two and three bytes a character", () => {
    for (const ch of ["a", "é", "会", "😀"])
      for (let n = 0; n <= 140; n++) {
        const s = ch.repeat(n);
        expect([n, sha256Hex(s)]).toEqual([n, noble(s)]);
      }
  });

  test("lone surrogates as U+FFFD (as TextEncoder writes them), and a text longer than the buffer", () => {
    for (const s of ["\ud800", "a\udc00b", "\udbff", "x\ud83d", "\ud83d\ude00\ude00", "会签\u241f\ud800王磊"])
      expect(sha256Hex(s)).toBe(noble(s));
    const long = "会签记录😀".repeat(5000);
    expect(sha256Hex(long)).toBe(noble(long));
    // The buffer grew: a short text after it still hashes alone.
    expect(sha256Hex("abc")).toBe(noble("abc"));
  });

  test("the first digits only, and a log row's hash as the log has always written it", () => {
    expect(sha256Hex("abc", 16)).toBe("ba7816bf8f01cfea");
    expect(sha256Hex("abc", 20)).toBe("ba7816bf8f01cfea4141");
    const entry = { time: toSerial(2026, 10, 3, 12, 0), cardNo: "202610-00001", action: "会签", actor: "王磊", role: "经理", note: "1/3" };
    expect(chainHash(GENESIS, entry)).toBe(
      noble(`${GENESIS}\u241e2026-10-03 12:00\u241f202610-00001\u241f会签\u241f王磊\u241f经理\u241f1/3`).slice(0, 16),
    );
  });
});
