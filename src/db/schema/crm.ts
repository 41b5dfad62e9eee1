import { type SQL, sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { createdBy, softDelete, tenantFk, tenantKey, tenantPk, timestamps, version } from "./columns";
import {
  CLIENT_STATUS_OPTIONS,
  LEAD_SOURCE_OPTIONS,
  LEAD_STATUS_OPTIONS,
  PROJECT_STATUS_OPTIONS,
} from "./enums";
import { tenants } from "./tenancy";

/**
 * The CRM (seed 003, contacts shared with seed 004's deals): accounts, clients, leads, projects,
 * contacts, interactions (seed 001) and notes. Every table is a kit table; owned rows belong to
 * `created_by` and `assigned_to` (accounts and contacts: `owner_id`). Indexes are led by tenant_id
 * and cover the filters and sorts the API offers (seed 003's indexing strategy); the trash views
 * read `(tenant_id, deleted_at)` partial indexes.
 */

/**
 * The lowercased text the cross-entity search (`GET /api/search`) matches per table, shared by the
 * GIN pg_trgm index and the query (Postgres uses an expression index when the expressions match).
 */
export const searchTextOf = {
  accounts: (t: { name: AnyPgColumn; industry: AnyPgColumn }) =>
    sql`lower(${t.name} || ' ' || coalesce(${t.industry}, ''))`,
  clients: (t: { name: AnyPgColumn; email: AnyPgColumn }) =>
    sql`lower(${t.name} || ' ' || coalesce(${t.email}, ''))`,
  leads: (t: { name: AnyPgColumn; email: AnyPgColumn; company: AnyPgColumn }) =>
    sql`lower(${t.name} || ' ' || coalesce(${t.email}, '') || ' ' || coalesce(${t.company}, ''))`,
  projects: (t: { name: AnyPgColumn }) => sql`lower(${t.name})`,
  contacts: (t: { firstName: AnyPgColumn; lastName: AnyPgColumn; email: AnyPgColumn }) =>
    sql`lower(${t.firstName} || ' ' || coalesce(${t.lastName}, '') || ' ' || coalesce(${t.email}, ''))`,
};

/** A pg_trgm GIN index on `expression`, led by the tenant (btree_gin), so a search reads only the tenant's entries. */
const trgm = (name: string, t: { tenantId: AnyPgColumn }, expression: SQL) =>
  index(name).using("gin", t.tenantId, sql`${expression} gin_trgm_ops`);

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/** Indexes every owned CRM table has: owners, the trash view, recency. */
function ownedIndexes(
  name: string,
  t: { tenantId: AnyPgColumn; deletedAt: AnyPgColumn; updatedAt: AnyPgColumn; createdBy: AnyPgColumn },
  owner: AnyPgColumn,
) {
  return [
    index(`${name}_tenant_created_by_idx`).on(t.tenantId, t.createdBy),
    index(`${name}_tenant_${owner.name}_idx`).on(t.tenantId, owner),
    index(`${name}_tenant_deleted_idx`).on(t.tenantId, t.deletedAt).where(sql`${t.deletedAt} is not null`),
    index(`${name}_tenant_updated_idx`).on(t.tenantId, t.updatedAt),
  ];
}

const enumCheck = (name: string, column: AnyPgColumn, values: readonly string[]): ReturnType<typeof check> =>
  check(
    name,
    sql`${column} in (${sql.join(
      values.map((v) => sql.raw(`'${v.replace(/'/g, "''")}'`)),
      sql`, `,
    )})`,
  );

export const accounts = pgTable(
  "accounts",
  {
    ...tenantKey(),
    name: text("name").notNull(),
    industry: text("industry"),
    website: text("website"),
    phone: text("phone"),
    address: text("address"),
    ownerId: uuid("owner_id"),
    ...version(),
    ...createdBy(),
    ...timestamps(),
    ...softDelete(),
  },
  (t) => [
    tenantPk(t),
    index("accounts_tenant_name_idx").on(t.tenantId, sql`lower(${t.name})`),
    trgm("accounts_search_trgm_idx", t, searchTextOf.accounts(t)),
    ...ownedIndexes("accounts", t, t.ownerId),
  ],
);

export const clients = pgTable(
  "clients",
  {
    ...tenantKey(),
    name: text("name").notNull(),
    email: text("email"),
    phone: text("phone"),
    address: text("address"),
    status: text("status", { enum: CLIENT_STATUS_OPTIONS }).notNull().default("new"),
    accountId: uuid("account_id"),
    assignedTo: uuid("assigned_to"),
    /** The latest start of the client's live interactions (kept by the CRM report rollups). */
    lastInteractionAt: timestamp("last_interaction_at", { withTimezone: true }),
    ...version(),
    ...createdBy(),
    ...timestamps(),
    ...softDelete(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("clients_account_fk", [t.tenantId, t.accountId], accounts),
    enumCheck("clients_status_check", t.status, CLIENT_STATUS_OPTIONS),
    index("clients_tenant_name_idx").on(t.tenantId, sql`lower(${t.name})`),
    trgm("clients_search_trgm_idx", t, searchTextOf.clients(t)),
    index("clients_tenant_status_idx").on(t.tenantId, t.status),
    index("clients_tenant_account_idx").on(t.tenantId, t.accountId),
    index("clients_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("clients_tenant_last_interaction_idx")
      .on(t.tenantId, t.lastInteractionAt.asc().nullsFirst(), t.id)
      .where(sql`${t.deletedAt} is null`),
    ...ownedIndexes("clients", t, t.assignedTo),
  ],
);

export const leads = pgTable(
  "leads",
  {
    ...tenantKey(),
    name: text("name").notNull(),
    email: text("email"),
    phone: text("phone"),
    company: text("company"),
    leadStatus: text("lead_status", { enum: LEAD_STATUS_OPTIONS }).notNull().default("new"),
    leadSource: text("lead_source", { enum: LEAD_SOURCE_OPTIONS }),
    assignedTo: uuid("assigned_to"),
    convertedAt: timestamp("converted_at", { withTimezone: true }),
    convertedClientId: uuid("converted_client_id"),
    convertedProjectId: uuid("converted_project_id"),
    /** The latest start of the lead's live interactions (kept by the CRM report rollups). */
    lastInteractionAt: timestamp("last_interaction_at", { withTimezone: true }),
    ...version(),
    ...createdBy(),
    ...timestamps(),
    ...softDelete(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("leads_converted_client_fk", [t.tenantId, t.convertedClientId], clients),
    enumCheck("leads_status_check", t.leadStatus, LEAD_STATUS_OPTIONS),
    enumCheck("leads_source_check", t.leadSource, LEAD_SOURCE_OPTIONS),
    index("leads_tenant_name_idx").on(t.tenantId, sql`lower(${t.name})`),
    trgm("leads_search_trgm_idx", t, searchTextOf.leads(t)),
    index("leads_tenant_status_idx").on(t.tenantId, t.leadStatus),
    // The admin page's status filter in the list's order, live rows only: its total and its page
    // are index-only scans.
    index("leads_tenant_status_created_idx")
      .on(t.tenantId, t.leadStatus, t.createdAt, t.id)
      .where(sql`${t.deletedAt} is null`),
    index("leads_tenant_source_idx").on(t.tenantId, t.leadSource),
    index("leads_tenant_converted_idx").on(t.tenantId, t.convertedAt),
    index("leads_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("leads_tenant_last_interaction_idx")
      .on(t.tenantId, t.lastInteractionAt.asc().nullsFirst(), t.id)
      .where(sql`${t.deletedAt} is null`),
    ...ownedIndexes("leads", t, t.assignedTo),
  ],
);

export const projects = pgTable(
  "projects",
  {
    ...tenantKey(),
    name: text("name").notNull(),
    clientId: uuid("client_id"),
    leadId: uuid("lead_id"),
    status: text("status", { enum: PROJECT_STATUS_OPTIONS }).notNull().default("pending"),
    value: numeric("value", { precision: 14, scale: 2, mode: "number" }),
    currency: text("currency"),
    startDate: date("start_date"),
    endDate: date("end_date"),
    assignedTo: uuid("assigned_to"),
    wonAt: timestamp("won_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    ...version(),
    ...createdBy(),
    ...timestamps(),
    ...softDelete(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("projects_client_fk", [t.tenantId, t.clientId], clients),
    tenantFk("projects_lead_fk", [t.tenantId, t.leadId], leads),
    enumCheck("projects_status_check", t.status, PROJECT_STATUS_OPTIONS),
    check(
      "projects_dates_check",
      sql`${t.endDate} is null or ${t.startDate} is null or ${t.endDate} >= ${t.startDate}`,
    ),
    index("projects_tenant_name_idx").on(t.tenantId, sql`lower(${t.name})`),
    trgm("projects_search_trgm_idx", t, searchTextOf.projects(t)),
    index("projects_tenant_status_idx").on(t.tenantId, t.status),
    index("projects_tenant_client_idx").on(t.tenantId, t.clientId),
    index("projects_tenant_lead_idx").on(t.tenantId, t.leadId),
    index("projects_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    ...ownedIndexes("projects", t, t.assignedTo),
  ],
);

export const contacts = pgTable(
  "contacts",
  {
    ...tenantKey(),
    firstName: text("first_name").notNull(),
    lastName: text("last_name"),
    email: text("email"),
    phone: text("phone"),
    title: text("title"),
    accountId: uuid("account_id"),
    clientId: uuid("client_id"),
    ownerId: uuid("owner_id"),
    ...version(),
    ...createdBy(),
    ...timestamps(),
    ...softDelete(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("contacts_account_fk", [t.tenantId, t.accountId], accounts),
    tenantFk("contacts_client_fk", [t.tenantId, t.clientId], clients),
    index("contacts_tenant_name_idx").on(t.tenantId, sql`lower(${t.firstName})`),
    trgm("contacts_search_trgm_idx", t, searchTextOf.contacts(t)),
    index("contacts_tenant_email_idx").on(t.tenantId, sql`lower(${t.email})`),
    index("contacts_tenant_account_idx").on(t.tenantId, t.accountId),
    index("contacts_tenant_client_idx").on(t.tenantId, t.clientId),
    ...ownedIndexes("contacts", t, t.ownerId),
  ],
);

/** The interaction's searchable text, weighted: title A, lead and type B, the rest C/D. */
const interactionText = (
  c: Record<"title" | "type" | "lead" | "location" | "description" | "notes", SQL>,
) => ({
  vector: sql`setweight(to_tsvector('simple'::regconfig, coalesce(${c.title}, '')), 'A')
    || setweight(to_tsvector('simple'::regconfig, coalesce(${c.lead}, '') || ' ' || coalesce(${c.type}, '')), 'B')
    || setweight(to_tsvector('simple'::regconfig, coalesce(${c.location}, '') || ' ' || coalesce(${c.description}, '')), 'C')
    || setweight(to_tsvector('simple'::regconfig, coalesce(${c.notes}, '')), 'D')`,
  text: sql`lower(coalesce(${c.title}, '') || ' ' || coalesce(${c.lead}, '') || ' ' || coalesce(${c.type}, '') || ' '
    || coalesce(${c.location}, '') || ' ' || coalesce(${c.description}, '') || ' ' || coalesce(${c.notes}, ''))`,
});

const columnsOf = (names: string[]) =>
  Object.fromEntries(names.map((n) => [n, sql.identifier(n)])) as unknown as Record<
    "title" | "type" | "lead" | "location" | "description" | "notes",
    SQL
  >;
const searchable = interactionText(columnsOf(["title", "type", "lead", "location", "description", "notes"]));

export const interactions = pgTable(
  "interactions",
  {
    ...tenantKey(),
    title: text("title").notNull(),
    type: text("type").notNull(),
    lead: text("lead"),
    startDateTime: timestamp("start_date_time", { withTimezone: true }).notNull(),
    endDateTime: timestamp("end_date_time", { withTimezone: true }),
    timezone: text("timezone").notNull().default("UTC"),
    location: text("location"),
    description: text("description"),
    notes: text("notes"),
    clientId: uuid("client_id"),
    leadId: uuid("lead_id"),
    contactId: uuid("contact_id"),
    projectId: uuid("project_id"),
    followUpAt: timestamp("follow_up_at", { withTimezone: true }),
    done: boolean("done").notNull().default(false),
    assignedTo: uuid("assigned_to"),
    /** Full-text vector of the text fields (the Finder's words), generated by the database. */
    searchVector: tsvector("search_vector").generatedAlwaysAs(searchable.vector),
    /** The text fields lowercased in one string (the Finder's partial words and typos, pg_trgm). */
    searchText: text("search_text").generatedAlwaysAs(searchable.text),
    ...version(),
    ...createdBy(),
    ...timestamps(),
    ...softDelete(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("interactions_client_fk", [t.tenantId, t.clientId], clients),
    tenantFk("interactions_lead_fk", [t.tenantId, t.leadId], leads),
    tenantFk("interactions_contact_fk", [t.tenantId, t.contactId], contacts),
    tenantFk("interactions_project_fk", [t.tenantId, t.projectId], projects),
    check(
      "interactions_end_after_start_check",
      sql`${t.endDateTime} is null or ${t.endDateTime} >= ${t.startDateTime}`,
    ),
    index("interactions_tenant_start_idx").on(t.tenantId, t.startDateTime, t.id),
    index("interactions_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("interactions_tenant_type_idx").on(t.tenantId, t.type),
    index("interactions_tenant_type_sort_idx").on(t.tenantId, sql`lower(${t.type})`),
    index("interactions_tenant_lead_name_idx").on(t.tenantId, sql`lower(${t.lead})`),
    index("interactions_tenant_title_idx").on(t.tenantId, sql`lower(${t.title})`),
    index("interactions_tenant_client_idx").on(t.tenantId, t.clientId),
    index("interactions_tenant_lead_idx").on(t.tenantId, t.leadId),
    index("interactions_tenant_contact_idx").on(t.tenantId, t.contactId),
    index("interactions_tenant_project_idx").on(t.tenantId, t.projectId),
    index("interactions_tenant_follow_up_idx")
      .on(t.tenantId, t.followUpAt)
      .where(sql`${t.followUpAt} is not null and not ${t.done}`),
    index("interactions_tenant_search_vector_idx").using("gin", t.tenantId, t.searchVector),
    trgm("interactions_tenant_search_text_trgm_idx", t, sql`${t.searchText}`),
    ...ownedIndexes("interactions", t, t.assignedTo),
  ],
);

/**
 * A note on one CRM row: exactly one of the parent columns is set (a composite tenant FK each, so
 * a note can never point into another tenant); notes go with their parent when it is purged.
 */
export const notes = pgTable(
  "notes",
  {
    ...tenantKey(),
    body: text("body").notNull(),
    accountId: uuid("account_id"),
    clientId: uuid("client_id"),
    leadId: uuid("lead_id"),
    projectId: uuid("project_id"),
    contactId: uuid("contact_id"),
    interactionId: uuid("interaction_id"),
    ...version(),
    ...createdBy(),
    ...timestamps(),
    ...softDelete(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("notes_account_fk", [t.tenantId, t.accountId], accounts).onDelete("cascade"),
    tenantFk("notes_client_fk", [t.tenantId, t.clientId], clients).onDelete("cascade"),
    tenantFk("notes_lead_fk", [t.tenantId, t.leadId], leads).onDelete("cascade"),
    tenantFk("notes_project_fk", [t.tenantId, t.projectId], projects).onDelete("cascade"),
    tenantFk("notes_contact_fk", [t.tenantId, t.contactId], contacts).onDelete("cascade"),
    tenantFk("notes_interaction_fk", [t.tenantId, t.interactionId], interactions).onDelete("cascade"),
    check(
      "notes_one_parent_check",
      sql`num_nonnulls(${t.accountId}, ${t.clientId}, ${t.leadId}, ${t.projectId}, ${t.contactId}, ${t.interactionId}) = 1`,
    ),
    index("notes_tenant_account_idx").on(t.tenantId, t.accountId, t.createdAt),
    index("notes_tenant_client_idx").on(t.tenantId, t.clientId, t.createdAt),
    index("notes_tenant_lead_idx").on(t.tenantId, t.leadId, t.createdAt),
    index("notes_tenant_project_idx").on(t.tenantId, t.projectId, t.createdAt),
    index("notes_tenant_contact_idx").on(t.tenantId, t.contactId, t.createdAt),
    index("notes_tenant_interaction_idx").on(t.tenantId, t.interactionId, t.createdAt),
    index("notes_tenant_created_by_idx").on(t.tenantId, t.createdBy),
    index("notes_tenant_deleted_idx").on(t.tenantId, t.deletedAt).where(sql`${t.deletedAt} is not null`),
  ],
);

/** A tenant's set of words, `(tenant_id, word)`, searched by similarity (pg_trgm, a GIN index led by the tenant through btree_gin). */
function tenantWordTable<N extends string>(name: N) {
  return pgTable(
    name,
    {
      tenantId: uuid("tenant_id")
        .notNull()
        .references(() => tenants.id, { onDelete: "cascade" }),
      word: text("word").notNull(),
    },
    (t) => [
      primaryKey({ columns: [t.tenantId, t.word] }),
      index(`${name}_tenant_word_trgm_idx`).using("gin", t.tenantId, sql`${t.word} gin_trgm_ops`),
    ],
  );
}

/**
 * The words of each tenant's interactions (the lexemes of `search_vector`), the Finder's typo
 * dictionary: a query word that matches nothing is replaced by the tenant's most similar words
 * (pg_trgm `%`, this GIN index led by the tenant through btree_gin), which are then searched with
 * the full-text index. Kept by statement triggers on interactions (migration 0023); words are
 * never removed (a stale word finds no row).
 */
export const interactionWords = tenantWordTable("interaction_words");

/**
 * The Finder's ranked term index (tables 0036; triggers 0037, 0039, 0040, 0044; page function 0038, 0044; the search's order 0042): one row per word (lexeme of
 * `search_vector`) of each live interaction, with `score` = ts_rank of the row's vector against that single word — the
 * rank the Finder computes when the query's matches are exactly that word's rows. The primary key's
 * order is the Finder's relevance order (score desc, then id desc, by a backward scan), so a page
 * of one word's rows is an index range. Kept exact by statement triggers on interactions (inserts,
 * text and `deleted_at` updates, purges); no foreign keys (the triggers clean up, also when a tenant's
 * interactions cascade away), so an insert pays for no per-row checks.
 */
export const interactionTerms = pgTable(
  "interaction_terms",
  {
    tenantId: uuid("tenant_id").notNull(),
    term: text("term").notNull(),
    score: real("score").notNull(),
    interactionId: uuid("interaction_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.term, t.score, t.interactionId] })],
);

/** How many live interactions of the tenant have each word: the Finder's exact total for one word. */
export const interactionTermCounts = pgTable(
  "interaction_term_counts",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    term: text("term").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.term] })],
);

/**
 * How many of a word's index entries (`interaction_terms`) fall in each bucket of its order: one
 * stored score and the first 20 bits of the interaction id (`interaction_term_bucket`, migration
 * 0044). Buckets partition the word's entries in the Finder's order (score desc, id desc), so a deep
 * page by offset starts at its bucket (the counts before it summed) instead of reading every entry
 * before it. Kept exact by the same statement triggers as the counts.
 */
export const interactionTermBuckets = pgTable(
  "interaction_term_buckets",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    term: text("term").notNull(),
    score: real("score").notNull(),
    bucket: integer("bucket").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.term, t.score, t.bucket] })],
);

/**
 * Runs of letters and digits in interactions' `search_text` that are not words of their
 * `search_vector` (e.g. "http" of a URL, "amp" of "&amp;"): the Finder's substring match can reach
 * such a row through them, so a query inside one of them never takes the term index. Like the
 * dictionary, only added to (a stale one only sends a query to the general path).
 */
export const interactionTermGaps = tenantWordTable("interaction_term_gaps");
