import { type AppContext, tenantContext } from "../context";
import { type Emit, eventEmitter } from "../emit";
import { domainEvent } from "../events";
import type { Resource } from "./declaration";

/** After a write: the declaration's `emits` event about the row, if it declares one. */
export function emitChange(
  c: AppContext,
  res: { name: string; emits?: string | undefined },
  id: string,
): void {
  if (res.emits) eventEmitter(c)(domainEvent(res.emits, tenantContext(c).tenantId, { entity: res.name, id }));
}

/**
 * A write's events: `emit` for its custom function, and `after(id)`, the declaration's `emits`
 * event — unless the function sent that type itself (deals send a richer `deal.changed`).
 */
export function writeEvents(c: AppContext, res: Resource): { emit: Emit; after: (id: string) => void } {
  const send = eventEmitter(c);
  let sent = false;
  return {
    emit: (event) => {
      if (event.type === res.emits) sent = true;
      send(event);
    },
    after: (id) => {
      if (!sent) emitChange(c, res, id);
    },
  };
}
