/** Step 13: reports' own data (firmware/src/backoffice/reports): advertising schedule and spend, staff shifts; the reports module designs its tables here. */
export const STEP_REPORTS = `
  SELECT 1;
`;
