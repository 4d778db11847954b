/** A real API server started as a child process (see api-server.mjs). */
export interface StartedApiServer {
  url: string;
  port: number;
  output: string[];
  stop(): Promise<void>;
}
export function freePort(): Promise<number>;
export function startApiServer(env?: Record<string, string>): Promise<StartedApiServer>;
