/**
 * Who really acted, in the workbench (issue 18): `?account=` stands in for the account Office
 * gives (Office.auth.getAuthContext, NestedAppAuth 1.1). The pane pre-selects that person under
 * "I am", warns when another person is chosen, writes the account in the log row, and Problems
 * lists that row; without an account it says there is none and keeps the picker.
 */
import type { Page } from "playwright-core";
import { NO_ACCOUNT } from "../../src/taskpane/account";
import { useWorkbench } from "./harness";
import { DONE, as, idle, openPage, view } from "./pane-helpers";

jest.setTimeout(180_000);

const env = useWorkbench(300_000);

/** The last log row's Actor and Account cells, as the in-memory Excel holds them. */
const lastLogRow = (page: Page) =>
  page.evaluate(() => {
    const t = (window as any).workbench.excel.state.table("CountersignLog");
    const cell = (r: number, c: number) => t.sheet.get(r, c)?.value ?? null;
    const header = (text: string) => {
      for (let c = t.left; c <= t.right; c++) if (cell(t.top, c) === text) return c;
      return -1;
    };
    return { actor: cell(t.bottom, header("操作人")), account: cell(t.bottom, header("账号")), sheetRow: t.bottom + 1 };
  });

test("signed in as 李娜: she is pre-selected; choosing 林静 warns; the row carries her account and Problems lists it", async () => {
  const page = await openPage(env.browser, env.url, "lang=zh&now=2026-11-02T10:00&account=li.na@example.com", { height: 900 });
  expect(await page.inputValue("#pd-me")).toBe("李娜");
  expect(await page.getAttribute("#pd-account", "data-account")).toBe("match");
  expect(await page.textContent("#pd-account")).toBe("已登录：li.na@example.com（李娜）");

  await as(page, "林静");
  expect(await page.getAttribute("#pd-account", "data-account")).toBe("differs");
  expect(await page.textContent("#pd-account")).toContain("你选择的是“林静”，但登录的账号“li.na@example.com”是 李娜 的");

  await view(page, "new");
  await page.fill("#pd-new-project", "账号测试");
  await page.selectOption("#pd-new-ae", "张伟");
  await page.click("#pd-issue");
  await idle(page);
  expect(await page.textContent(".pd-msg")).toMatch(DONE.zh);
  const row = await lastLogRow(page);
  expect([row.actor, row.account]).toEqual(["林静", "li.na@example.com"]);

  await view(page, "problems");
  const listed = await page.$$eval("#pd-account-rows li", (lis) => lis.map((li) => [li.getAttribute("data-row"), li.textContent ?? ""]));
  expect(listed.length).toBe(1);
  expect(listed[0][0]).toBe(String(row.sheetRow));
  expect(listed[0][1]).toContain(`第 ${row.sheetRow} 行：操作人是“林静”，但写入时登录的账号“li.na@example.com”是 李娜 的`);
});

test("no account (perpetual Office / local file): the pane says so and the picker stays empty until chosen", async () => {
  const page = await openPage(env.browser, env.url, "lang=zh&now=2026-11-02T10:00");
  expect(await page.inputValue("#pd-me")).toBe("");
  expect(await page.getAttribute("#pd-account", "data-account")).toBe("none");
  expect(await page.textContent("#pd-account")).toBe(NO_ACCOUNT.zh);
});
