import { type SQL, sql } from "drizzle-orm";

/**
 * The answer rules of a visit completion, as SQL, so the check runs inside the completing
 * statement (one round trip: no read of the survey first). Over the CTEs `q` (the visit survey's
 * questions, soft-deleted ones included so offline work on an older copy is not lost), `vp` (the
 * visit's photo ids) and `a` (the submitted answers: `i` their index, `qid` the question id as
 * lower-case text, `val` the jsonb value):
 *
 * - every answer names a question of the survey, at most once (`answers.<i>.question_id`);
 * - an empty value (null, "", []) is "not answered" and stored as nothing;
 * - a value fits its question's type, options and range (`answers.<i>.value`): text; number
 *   (min/max); rating (a whole number, default range 1..5); boolean; single choice (one of the
 *   options); multiple choice (a list of distinct options); date (a real YYYY-MM-DD day); photo
 *   (the id of a photo of this visit);
 * - every live required question has a valid answer (`answers.<question id>`), unless its answer
 *   already has a problem of its own.
 *
 * `checkedAnswers` yields one row per answer with its `problem` (null when valid) and whether it
 * is stored; `requiredProblems` the missing required answers. Both are select bodies for CTEs.
 */
export function checkedAnswers(): SQL {
  const text = sql`(a.val #>> '{}')`;
  const num = sql`(a.val)::numeric`;
  const range = (min: SQL, max: SQL) => sql`case
      when ${min} is not null and ${num} < ${min}::numeric then 'Must be at least ' || (${min})::float8::text
      when ${max} is not null and ${num} > ${max}::numeric then 'Must be at most ' || (${max})::float8::text
    end`;
  const options = sql`coalesce(q.options, '[]'::jsonb)`;
  const y = sql`substr(${text}, 1, 4)::int`;
  const m = sql`substr(${text}, 6, 2)::int`;
  const d = sql`substr(${text}, 9, 2)::int`;
  const daysInMonth = sql`case when ${m} = 2 then
      case when (${y} % 4 = 0 and ${y} % 100 <> 0) or ${y} % 400 = 0 then 29 else 28 end
      when ${m} in (4, 6, 9, 11) then 30 else 31 end`;
  const valueProblem = sql`case q.type
      when 'text' then case when jsonb_typeof(a.val) = 'string' then null else 'Must be text' end
      when 'number' then case when jsonb_typeof(a.val) = 'number' then ${range(sql`q.min_value`, sql`q.max_value`)}
        else 'Must be a number' end
      when 'rating' then case when jsonb_typeof(a.val) <> 'number' then 'Must be a whole number'
        when ${num} <> trunc(${num}) then 'Must be a whole number'
        else ${range(sql`coalesce(q.min_value, 1)`, sql`coalesce(q.max_value, 5)`)} end
      when 'boolean' then case when jsonb_typeof(a.val) = 'boolean' then null else 'Must be true or false' end
      when 'single_choice' then case
        when jsonb_typeof(a.val) = 'string' and exists (
          select 1 from jsonb_array_elements(${options}) o where o ->> 'value' = ${text}) then null
        else 'Must be one of: ' || coalesce((select string_agg(o ->> 'value', ', ' order by n)
          from jsonb_array_elements(${options}) with ordinality as x(o, n)), '') end
      when 'multiple_choice' then case
        when jsonb_typeof(a.val) <> 'array' then 'Must be a list of options'
        when (select count(distinct e) <> count(*) from jsonb_array_elements_text(a.val) e) then 'Options must not repeat'
        else (select 'Unknown options: ' || string_agg(e, ', ' order by n)
          from jsonb_array_elements_text(a.val) with ordinality as x(e, n)
          where not exists (select 1 from jsonb_array_elements(${options}) o where o ->> 'value' = e)) end
      when 'date' then case
        when jsonb_typeof(a.val) <> 'string' then 'Must be a date (YYYY-MM-DD)'
        when ${text} !~ '^\\d{4}-\\d{2}-\\d{2}$' then 'Must be a date (YYYY-MM-DD)'
        when ${m} between 1 and 12 and ${d} between 1 and ${daysInMonth} then null
        else 'Must be a date (YYYY-MM-DD)' end
      when 'photo' then case
        when jsonb_typeof(a.val) = 'string' and exists (select 1 from vp where vp.id::text = lower(${text})) then null
        else 'Must be the id of a photo of this visit' end
      else 'Unsupported question type' end`;
  const empty = sql`(jsonb_typeof(a.val) = 'null' or a.val in ('""'::jsonb, '[]'::jsonb))`;
  return sql`
    select a.i, q.id as question_id, q.prompt, q.type, a.val, x.field, x.problem,
      x.problem is null and not ${empty} as stored
    from (select a.*, row_number() over (partition by a.qid order by a.i) as nth from a) a
    left join q on q.id::text = a.qid
    cross join lateral (select
      case when q.id is null or a.nth > 1 then 'answers.' || a.i || '.question_id'
        else 'answers.' || a.i || '.value' end as field,
      case when q.id is null then 'Not a question of this visit''s survey'
        when a.nth > 1 then 'Answered twice'
        when ${empty} then null
        else ${valueProblem} end as problem) x`;
}

/** Live required questions without a stored answer whose (first) answer has no problem of its own. */
export function requiredProblems(): SQL {
  return sql`
    select q.position, 'answers.' || q.id as field, 'Required: ' || q.prompt as problem
    from q
    where q.is_required and q.deleted_at is null
      and not exists (select 1 from checked c where c.question_id = q.id and c.stored)
      and not exists (select 1 from checked c where c.question_id = q.id and c.problem is not null
        and c.i = (select min(c2.i) from checked c2 where c2.question_id = q.id))`;
}
