/** A service the local cloud started (or was given): where it answers, and how to stop it. */
export interface RunningService {
  endpoint: string;
  /** The process id, for a service running in its own process. */
  pid?: number;
  stop(): Promise<void>;
}
