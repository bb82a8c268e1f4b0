/**
 * The account signed in to Office, where Office offers it (issue 18: who really acted).
 *
 * `Office.auth.getAuthContext()` gives the signed-in user's information (its `userPrincipalName`)
 * without a token or an Azure app registration; it needs the requirement set NestedAppAuth 1.1
 * (Microsoft 365 Office, files in SharePoint/OneDrive):
 * https://learn.microsoft.com/javascript/api/office/office.auth (getAuthContext) and
 * https://learn.microsoft.com/javascript/api/office/office.authcontext (AuthContext, "Requirement
 * set: NestedAppAuth 1.1"). It is checked first with
 * `Office.context.requirements.isSetSupported("NestedAppAuth", "1.1")`; perpetual Office and local
 * files have no such account. Typed by @types/office-js (`Office.Auth.getAuthContext`,
 * `Office.AuthContext`).
 *
 * Never throws: no account is `account: undefined` with the reason, in Chinese and English, and
 * the pane keeps its "I am" picker.
 */
export type Text = { zh: string; en: string };

export type AccountLookup = { account: string; reason?: undefined } | { account: undefined; reason: Text };

/** What the lookup needs of Office (the workbench gives its own). */
export interface AuthHost {
  isSetSupported: (name: string, version: string) => boolean;
  /** `Office.auth.getAuthContext`; absent where Office.js has no `auth`. */
  getAuthContext?: () => Promise<Pick<Office.AuthContext, "userPrincipalName">>;
}

export const NO_ACCOUNT: Text = {
  zh: "这里没有可用的登录账号（永久版 Office 或本地文件）：请选择你是谁",
  en: "no signed-in account available here (perpetual Office / local file): choose who you are",
};

const oneLine = (s: string): string => {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length > 80 ? `${one.slice(0, 77)}…` : one;
};

/** The signed-in account, or undefined with why. */
export async function signedInAccount(host: AuthHost): Promise<AccountLookup> {
  let supported: boolean;
  try {
    supported = host.isSetSupported("NestedAppAuth", "1.1");
  } catch {
    supported = false;
  }
  if (!supported || !host.getAuthContext) return { account: undefined, reason: NO_ACCOUNT };
  try {
    const ctx = await host.getAuthContext();
    const upn = typeof ctx?.userPrincipalName === "string" ? ctx.userPrincipalName.trim() : "";
    if (upn === "") return { account: undefined, reason: NO_ACCOUNT };
    return { account: upn };
  } catch (e) {
    const why = oneLine(e instanceof Error ? e.message : String(e));
    return {
      account: undefined,
      reason: {
        zh: `Office 没有给出登录账号（${why}）：请选择你是谁`,
        en: `Office did not give the signed-in account (${why}): choose who you are`,
      },
    };
  }
}

/** The lookup in Office: `Office.context.requirements` and `Office.auth`, each only where it is there. */
export function officeAuthHost(): AuthHost {
  const office = typeof Office === "undefined" ? undefined : Office;
  const auth = office?.auth;
  return {
    isSetSupported: (name, version) => office?.context?.requirements?.isSetSupported(name, version) ?? false,
    getAuthContext: auth && typeof auth.getAuthContext === "function" ? () => auth.getAuthContext() : undefined,
  };
}
