import type { OperationMeta } from '../profile.js';

/** The call being executed: its path template and metadata (undefined for paths the spec does not know). */
export interface CallTarget {
  method: string;
  path: string;
  meta: OperationMeta | undefined;
  /** False for the token endpoint itself. */
  authenticated: boolean;
  /** The caller's word on whether the call may be sent twice (`request()`), over the spec's and the method's. */
  idempotent?: boolean | undefined;
}
