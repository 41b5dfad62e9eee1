export type LogLevel = "debug" | "info" | "warn" | "error";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One JSON object per line, so Workers Logs / Logpush can filter by field. */
export function log(
  level: LogLevel,
  msg: string,
  fields: Record<string, unknown> = {},
  minLevel: LogLevel = "info",
): void {
  if (ORDER[level] < ORDER[minLevel]) return;
  const line = JSON.stringify({ level, msg, time: new Date().toISOString(), ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
