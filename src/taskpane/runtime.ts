/**
 * The shared runtime's link between the workbook and the custom functions: reads the
 * Calendar and Settings tables and hands the functions a calendar with the workbook's own
 * days and working hours, its time zone and the display language.
 */
import { configureFunctions } from "../functions/config";
import { calendarOf } from "../workbook/calendar";
import type { WorkbookPort } from "../workbook/port";
import { readWorkbook, WorkbookModel } from "../workbook/read";

export async function configureFromWorkbook(port: WorkbookPort, lang: "zh" | "en"): Promise<WorkbookModel> {
  const { model } = readWorkbook(await port.read());
  configureFunctions({ calendar: calendarOf(model), timeZone: model.settings.timeZone, lang });
  return model;
}
