/**
 * Short names for the custom functions: workbook names defined with LAMBDA so that a
 * secretary can type =OVERDUE(…) and =DUE(…) instead of =PLAN.OVERDUE(…). Each name
 * calls the add-in's function; optional arguments are passed on only when given. They are
 * added from the pane's button (never from a custom function, which may not change the
 * workbook), and only where Excel has LAMBDA (Microsoft 365): elsewhere Excel refuses the
 * formula and the pane says so.
 */
export const SHORT_NAMES: { name: string; formula: string; comment: string }[] = [
  { name: "DUE", formula: "=LAMBDA(start,business_days,PLAN.DUE(start,business_days))", comment: "Planning Desk: PLAN.DUE" },
  { name: "WORKDAYS", formula: "=LAMBDA(start,end,PLAN.WORKDAYS(start,end))", comment: "Planning Desk: PLAN.WORKDAYS" },
  {
    name: "OVERDUE",
    formula:
      "=LAMBDA(due,[done],[as_of],IF(ISOMITTED(as_of),IF(ISOMITTED(done),PLAN.OVERDUE(due),PLAN.OVERDUE(due,done)),PLAN.OVERDUE(due,done,as_of)))",
    comment: "Planning Desk: PLAN.OVERDUE",
  },
  {
    name: "MILESTONE",
    formula: "=LAMBDA(start,due,fraction,PLAN.MILESTONE(start,due,fraction))",
    comment: "Planning Desk: PLAN.MILESTONE",
  },
  { name: "ISWORKDAY", formula: "=LAMBDA(date,PLAN.ISWORKDAY(date))", comment: "Planning Desk: PLAN.ISWORKDAY" },
];
