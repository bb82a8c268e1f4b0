/**
 * The signed-in account (src/taskpane/account.ts): asked of Office only where NestedAppAuth 1.1 is
 * there; never throws — no account is undefined with the reason, in Chinese and English.
 */
import { NO_ACCOUNT, signedInAccount } from "../../src/taskpane/account";

const asked: string[] = [];
const supports = (name: string, version: string) => {
  asked.push(`${name} ${version}`);
  return name === "NestedAppAuth" && version === "1.1";
};

test("where the requirement set is there: the user principal name, trimmed", async () => {
  asked.length = 0;
  expect(
    await signedInAccount({ isSetSupported: supports, getAuthContext: async () => ({ userPrincipalName: " lin.jing@example.com " }) }),
  ).toEqual({ account: "lin.jing@example.com" });
  expect(asked).toEqual(["NestedAppAuth 1.1"]);
});

test("perpetual Office / a local file (no requirement set): getAuthContext is never called, and the reason says so", async () => {
  let called = false;
  const r = await signedInAccount({
    isSetSupported: () => false,
    getAuthContext: async () => {
      called = true;
      return { userPrincipalName: "x@example.com" };
    },
  });
  expect(called).toBe(false);
  expect(r).toEqual({ account: undefined, reason: NO_ACCOUNT });
  expect(NO_ACCOUNT.en).toBe("no signed-in account available here (perpetual Office / local file): choose who you are");
});

test("Office failing or giving no name: undefined with the reason, never a throw", async () => {
  const failed = await signedInAccount({
    isSetSupported: supports,
    getAuthContext: () => Promise.reject(new Error("13001 user not signed in\nmore")),
  });
  expect(failed.account).toBeUndefined();
  expect(failed.reason?.en).toBe("Office did not give the signed-in account (13001 user not signed in more): choose who you are");
  expect(await signedInAccount({ isSetSupported: supports, getAuthContext: async () => ({ userPrincipalName: "" }) })).toEqual({
    account: undefined,
    reason: NO_ACCOUNT,
  });
  const throwing = await signedInAccount({
    isSetSupported: () => {
      throw new Error("no requirements");
    },
  });
  expect(throwing).toEqual({ account: undefined, reason: NO_ACCOUNT });
  expect(await signedInAccount({ isSetSupported: supports })).toEqual({ account: undefined, reason: NO_ACCOUNT });
});
