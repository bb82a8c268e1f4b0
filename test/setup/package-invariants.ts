/**
 * Every package the engine writes in the unit tests is checked against the OPC rules
 * (test/workbook/package-invariants.ts): Package.toBytes throws when its output breaks a rule
 * that the bytes it was read from kept. Set up for every unit test file by jest.config.js, and
 * imported by test/cli/cli-entry.ts, the command line the tests run as a real process.
 */
import { Package } from "../../src/workbook/file/package";
import { assertSoundPackage } from "../workbook/package-invariants";

const origin = new WeakMap<Package, Uint8Array>();
const fromBytes = Package.fromBytes.bind(Package);
Package.fromBytes = (bytes: Uint8Array): Package => {
  const p = fromBytes(bytes);
  origin.set(p, bytes);
  return p;
};
const toBytes = Package.prototype.toBytes;
Package.prototype.toBytes = function checkedToBytes(this: Package): Uint8Array {
  const out = toBytes.call(this);
  assertSoundPackage(out, origin.get(this));
  return out;
};
