/** The CRM's rights: read and write (own rows, or the role's team/subtree), and `view=all` (admin pages). */
export const CRM_PERMISSIONS = { read: "crm:read", write: "crm:write", delete: "crm:write" } as const;
/** Contacts are shared with the deals pipeline (seed 004): writing them is its own right, which the
 * `manager` role holds without `crm:write` (every role with `crm:write` holds it too). */
export const CONTACT_PERMISSIONS = {
  read: "crm:read",
  write: "contacts:write",
  delete: "contacts:write",
} as const;
export const CRM_READ_ALL = "crm:read_all";
