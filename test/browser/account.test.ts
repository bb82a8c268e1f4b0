/**
 * Who really acted, in the workbench (issue 18): `?account=` stands in for the account Office
 * gives (Office.auth.getAuthContext, NestedAppAuth 1.1). The pane pre-selects that person under
 * "I am", warns when another person is chosen, writes the account in the log row, and Problems
 * lists that row; without an account it says there is none and keeps the picker.
 */
import type { Page } from "playwright-core";
import { NO_ACCOUNT } from "../../src/taskpane/account";
import { useWorkbench } from "./harness";
import { DONE, as, idle, openCard, openPage, view } from "./pane-helpers";

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

/** The Settings row of "只允许本人操作": its Value and Note, as the in-memory Excel holds them. */
const onlySelfRow = (page: Page) =>
  page.evaluate(() => {
    const t = (window as any).workbench.excel.state.table("Settings");
    const cell = (r: number, c: number) => t.sheet.get(r, c)?.value ?? null;
    for (let r = t.top + 1; r <= t.bottom; r++)
      if (cell(r, t.left) === "只允许本人操作") return { value: cell(r, t.left + 1), note: cell(r, t.left + 2) };
    return undefined;
  });
const actionButtons = (page: Page) => page.$$eval("#pd-actions [data-action]", (els) => els.length);

test("只允许本人操作 from Settings: the secretary signed in turns it on (recorded with her account); as someone else the card offers no action buttons, one line says why, and the setting cannot be changed", async () => {
  const page = await openPage(env.browser, env.url, "lang=zh&now=2026-11-02T10:00&account=lin.jing@example.com", { height: 900 });
  expect(await page.inputValue("#pd-me")).toBe("林静");
  // Before: 刘洋 (chosen by 林静's hand) is offered the card's actions.
  await as(page, "刘洋");
  await openCard(page, "202610-024");
  expect(await actionButtons(page)).toBeGreaterThan(0);

  await as(page, "林静");
  await view(page, "settings");
  expect(await page.getAttribute("#pd-only-self-state", "data-on")).toBe("no");
  expect(await page.getAttribute("#pd-only-self", "disabled")).toBeNull();
  await page.click("#pd-only-self");
  await idle(page);
  expect(await page.textContent(".pd-msg")).toContain("已将“只允许本人操作”设为“是”");
  expect(await page.getAttribute("#pd-only-self-state", "data-on")).toBe("yes");
  const row = await onlySelfRow(page);
  expect(row?.value).toBe("是");
  expect(String(row?.note)).toMatch(/^2026-11-02 10:00 林静 设为“是”（登录账号 lin\.jing@example\.com）/);

  // As 刘洋 with 林静's account: no action buttons on the card, one line with the reason.
  await as(page, "刘洋");
  await openCard(page, "202610-024");
  expect(await actionButtons(page)).toBe(0);
  expect(await page.getAttribute("#pd-actions-blocked", "data-why")).toBe("account");
  expect(await page.textContent("#pd-actions-blocked")).toContain("登录账号“lin.jing@example.com”是 林静 的，不能以“刘洋”的身份操作");
  // Nor may 刘洋 switch the setting off (not the secretary, and not signed in as himself).
  await view(page, "settings");
  expect(await page.getAttribute("#pd-only-self", "disabled")).not.toBeNull();
  expect(await page.textContent("#pd-only-self-blocked")).toContain("不能以“刘洋”的身份操作");

  // 林静 herself: the card's actions are hers to judge again (no account line).
  await as(page, "林静");
  await openCard(page, "202610-024");
  expect(await page.$("#pd-actions-blocked[data-why='account']")).toBeNull();
});
