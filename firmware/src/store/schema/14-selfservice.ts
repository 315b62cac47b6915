/**
 * Step 14: self-service lookups of the IVR (firmware/src/backoffice/selfservice): the product
 * authenticity code table the shop imports (防伪码) and its checks; the module designs its tables here.
 */
export const STEP_SELFSERVICE = `
  SELECT 1;
`;
