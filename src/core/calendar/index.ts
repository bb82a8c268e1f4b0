export * from "./serial";
export * from "./hours";
export * from "./calendar";
export * from "./clock";
export { officialCalendar } from "./official";
export type { OfficialCalendar } from "./official";
export * from "./late";
