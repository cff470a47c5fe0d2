/** Waits `ms` (a test letting something that must not happen have its chance to). */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Today's date in UTC, `YYYY-MM-DD` (a listing's day). */
export const today = (): string => new Date().toISOString().slice(0, 10);
