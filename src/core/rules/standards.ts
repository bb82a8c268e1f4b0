/** Standard turnaround after the client's written go-ahead (seed 001), in business days. */
export interface StandardDef {
  deliverable: { zh: string; en: string };
  minDays: number;
  maxDays: number;
}

export const DEFAULT_STANDARDS: readonly StandardDef[] = [
  { deliverable: { zh: "整合传播方案及媒介计划", en: "Integrated plan and media" }, minDays: 5, maxDays: 8 },
  { deliverable: { zh: "阶段性方案", en: "Phase plan" }, minDays: 4, maxDays: 4 },
  { deliverable: { zh: "媒介排期", en: "Media schedule" }, minDays: 3, maxDays: 3 },
  { deliverable: { zh: "平面：创意构思", en: "Print: creative concept" }, minDays: 2, maxDays: 2 },
  { deliverable: { zh: "平面：文案及版式", en: "Print: copy and layout" }, minDays: 3, maxDays: 3 },
  { deliverable: { zh: "平面：完稿", en: "Print: final art" }, minDays: 2, maxDays: 2 },
  { deliverable: { zh: "平面：打样", en: "Print: colour proof" }, minDays: 1, maxDays: 1 },
  { deliverable: { zh: "平面：菲林", en: "Print: film" }, minDays: 1, maxDays: 1 },
  { deliverable: { zh: "广播及创意", en: "Radio and creative" }, minDays: 3, maxDays: 8 },
];
