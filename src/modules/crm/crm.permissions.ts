/** The CRM's rights: read and write (own rows, or the role's team/subtree), and `view=all` (admin pages). */
export const CRM_PERMISSIONS = { read: "crm:read", write: "crm:write", delete: "crm:write" } as const;
export const CRM_READ_ALL = "crm:read_all";
