/** Step 12: follow-up lists (outbound calling, firmware/src/backoffice/followups); the followups module designs its tables here. */
export const STEP_FOLLOWUPS = `
  SELECT 1;
`;
