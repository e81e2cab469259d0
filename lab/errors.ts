/** Failure codes of the lab, so callers (tests, the fixture script) can tell a slow machine from a broken setup. */
export type LabErrorCode =
  | 'LAB_TIMEOUT' // something did not happen in time (sessions, convergence, a process start)
  | 'LAB_COMMAND' // a command (ip, gobgp) exited non-zero
  | 'LAB_PROCESS' // a long-running process (gobgpd, exabgp, dumpcap) died or failed to start
  | 'LAB_CONFIG'; // options that cannot work (unknown speaker, unreachable collector address)

export class LabError extends Error {
  readonly code: LabErrorCode;

  constructor(code: LabErrorCode, message: string) {
    super(message);
    this.name = 'LabError';
    this.code = code;
  }
}
