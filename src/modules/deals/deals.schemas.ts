import { z } from "zod";
import { pageSizeQuery } from "../../core/pagination";
import { optionalText } from "../../core/resource/params";
import { DEAL_STAGES, DEAL_STATUSES } from "../../db/schema";

/** The validation rules of the deals pipeline's fields (seed 004). */

export const dealStage = z.enum(DEAL_STAGES);
export const dealStatus = z.enum(DEAL_STATUSES);

export const dealTitle = z.string().trim().min(1, "Must not be empty").max(200);
export const longText = optionalText(5000);

/** At least 0, at most two decimals (numeric(14,2)). */
export const dealAmount = z
  .number()
  .min(0)
  .max(999_999_999_999)
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, "At most two decimals")
  .describe("Amount, ≥ 0, at most two decimals");

/** ISO 4217 currency codes (the active ones). */
const ISO_4217 = new Set(
  (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD " +
    "CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD " +
    "GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT " +
    "LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR " +
    "NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP " +
    "STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF " +
    "XPF YER ZAR ZMW ZWL"
  ).split(" "),
);
export const currencyCode = z
  .string()
  .refine((v) => ISO_4217.has(v), "An ISO 4217 currency code, e.g. USD")
  .describe("ISO 4217 code, e.g. USD");

export const isoDate = z.iso.date({ error: "Must be an ISO date, e.g. 2026-01-31" });
export const dateTime = z.iso.datetime({ offset: true, error: "Must be an RFC 3339 date-time" });
export const userRef = z.uuid().describe("A user of the tenant");
export const rowRef = (what: string) => z.uuid().nullable().describe(`The ${what}'s id`);
export const idQuery = z.uuid({ error: "Must be a UUID" });
export const amountQuery = z.coerce.number().min(0).max(999_999_999_999);

/** An activity of a deal as the API shows it. */
export const activityItem = z
  .object({
    id: z.uuid(),
    deal_id: z.uuid(),
    kind: z.enum(["change", "comment"]).describe("`change`: a stage or status change; `comment`"),
    actor_id: z.uuid().nullable(),
    from_stage: dealStage.nullable(),
    to_stage: dealStage.nullable(),
    from_status: dealStatus.nullable(),
    to_status: dealStatus.nullable(),
    body: z.string().nullable(),
    created_at: z.iso.datetime(),
  })
  .openapi("DealActivity");
export type ActivityItem = z.infer<typeof activityItem>;

export const activitiesQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  page_size: pageSizeQuery,
});
export type ActivitiesQuery = z.infer<typeof activitiesQuery>;

export const commentBody = z.strictObject({
  body: z.string().trim().min(1, "Must not be empty").max(5000),
});
export type CommentInput = z.infer<typeof commentBody>;
