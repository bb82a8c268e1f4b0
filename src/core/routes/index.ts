export * from "./condition";
export * from "./roles";
export * from "./routes";
