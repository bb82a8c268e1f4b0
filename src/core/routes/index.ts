export * from "./condition";
export * from "./roles";
export * from "./routes";
export * from "./card";
