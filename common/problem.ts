/** RFC 9457 problem details, as every API error is returned. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Stable machine-readable code, e.g. TRELLIS_NOT_FOUND. */
  code: string;
  errors?: { path: string; message: string }[];
  instance?: string;
};
