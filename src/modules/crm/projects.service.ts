type ProjectInput = Record<string, unknown> & { status?: string; won_at?: unknown; closed_at?: unknown };

/**
 * The reports' won and closed projects: a write that sets `status` stamps `won_at`/`closed_at`
 * (completed: both now; cancelled: closed now, not won; pending/active: both cleared) unless the
 * body sends them.
 */
export function stampOutcome(input: ProjectInput, now = new Date().toISOString()): ProjectInput {
  if (input.status === undefined) return input;
  const won = input.status === "completed" ? now : null;
  const closed = input.status === "completed" || input.status === "cancelled" ? now : null;
  return { ...input, won_at: input.won_at ?? won, closed_at: input.closed_at ?? closed };
}
