/** The business calendar a workbook asks for: official days, its Calendar table, its working hours. */
import { BusinessCalendar } from "../core/calendar";
import type { WorkbookModel } from "./read";

export function calendarOf(model: Pick<WorkbookModel, "calendar" | "settings">): BusinessCalendar {
  return new BusinessCalendar({
    periods: model.settings.periods,
    extraDays: model.calendar.map((e) => ({ day: e.date, type: e.type, note: e.note })),
  });
}
