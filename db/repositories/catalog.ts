import { sql } from 'kysely';
import { reviewingDepts } from '../../domain/matter';
import type { WorkingCalendar } from '../../domain/calendar';
import type { MatterSnapshot } from '../../domain/types';
import type { Db, DbOrTrx } from '../index';
import { calendarOfRows, type CalendarYearRow } from './calendars';

export interface DepartmentInput {
  name: string;
  webhookUrl?: string;
  /**
   * A signing secret: `keep` sets it only where the department has none yet, `replace` rotates it.
   * Without one, the stored secret stays as it is.
   */
  webhookSecret?: { value: string; mode: 'keep' | 'replace' };
}

export interface DepartmentRow {
  code: string;
  name: string;
  webhookUrl: string | null;
  webhookSecret: string | null;
}

export async function putDepartment(db: DbOrTrx, code: string, input: DepartmentInput): Promise<DepartmentRow> {
  const secret = input.webhookSecret;
  const values = {
    code,
    name: input.name,
    webhook_url: input.webhookUrl ?? null,
    webhook_secret: secret?.value ?? null,
  };
  const row = await db
    .insertInto('departments')
    .values(values)
    .onConflict((oc) =>
      oc.column('code').doUpdateSet({
        name: values.name,
        webhook_url: values.webhook_url,
        webhook_secret:
          secret?.mode === 'replace'
            ? sql<string>`excluded.webhook_secret`
            : sql<string>`coalesce(departments.webhook_secret, excluded.webhook_secret)`,
        updated_at: new Date(),
      }),
    )
    .returning(['code', 'name', 'webhook_url', 'webhook_secret'])
    .executeTakeFirstOrThrow();
  return { code: row.code, name: row.name, webhookUrl: row.webhook_url, webhookSecret: row.webhook_secret };
}

export async function listDepartments(db: DbOrTrx): Promise<DepartmentRow[]> {
  const rows = await db
    .selectFrom('departments')
    .select(['code', 'name', 'webhook_url', 'webhook_secret'])
    .orderBy('code')
    .execute();
  return rows.map((r) => ({ code: r.code, name: r.name, webhookUrl: r.webhook_url, webhookSecret: r.webhook_secret }));
}

/** The department's signing secret, made now if its webhook URL predates secrets. */
export async function webhookSecretOf(db: DbOrTrx, code: string, fresh: () => string): Promise<string | undefined> {
  const stored = await db
    .selectFrom('departments')
    .select('webhook_secret')
    .where('code', '=', code)
    .executeTakeFirst();
  if (stored?.webhook_secret) return stored.webhook_secret;
  const made = await db
    .updateTable('departments')
    .set({ webhook_secret: sql<string>`coalesce(webhook_secret, ${fresh()})` })
    .where('code', '=', code)
    .returning('webhook_secret')
    .executeTakeFirst();
  return made?.webhook_secret ?? undefined;
}

export async function existingDepartments(db: DbOrTrx, codes: string[]): Promise<Set<string>> {
  if (!codes.length) return new Set();
  const rows = await db.selectFrom('departments').select('code').where('code', 'in', codes).execute();
  return new Set(rows.map((r) => r.code));
}

export async function putMatter(db: DbOrTrx, matter: MatterSnapshot): Promise<void> {
  const values = {
    code: matter.code,
    name: matter.name,
    lead_dept: matter.leadDept,
    definition: JSON.stringify(matter),
  };
  await db
    .insertInto('matters')
    .values(values)
    .onConflict((oc) =>
      oc.column('code').doUpdateSet({
        name: values.name,
        lead_dept: values.lead_dept,
        definition: values.definition,
        updated_at: new Date(),
      }),
    )
    .execute();
}

/**
 * Writes a matter and enters, under their code, the departments it names that the catalog lacks
 * (so their inbox works at once; an admin can name them properly later), in one transaction.
 * Returns the departments entered.
 */
export async function putMatterWithDepartments(db: Db, matter: MatterSnapshot): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const reviewing = reviewingDepts(matter);
    const known = await existingDepartments(trx, reviewing);
    const added = reviewing.filter((d) => !known.has(d));
    for (const code of added) await putDepartment(trx, code, { name: code });
    await putMatter(trx, matter);
    return added;
  });
}

export async function getMatter(db: DbOrTrx, code: string): Promise<MatterSnapshot | undefined> {
  const row = await db.selectFrom('matters').select('definition').where('code', '=', code).executeTakeFirst();
  return row?.definition;
}

export async function listMatters(db: DbOrTrx): Promise<MatterSnapshot[]> {
  const rows = await db.selectFrom('matters').select('definition').orderBy('code').execute();
  return rows.map((r) => r.definition);
}

/**
 * What a submission is judged and started with, in one statement: the matter as defined now and,
 * unless the demo clock counts, the published calendar years (the calendar in force is built from
 * them). Both are read fresh every time, so an edit made through another API process counts at once.
 */
export async function submissionReferences(
  db: DbOrTrx,
  code: string,
  withCalendar: boolean,
): Promise<{ matter: MatterSnapshot | undefined; calendar: WorkingCalendar | undefined }> {
  const years = withCalendar
    ? sql<
        CalendarYearRow[]
      >`(select coalesce(json_agg(json_build_object('year', year, 'holidays', holidays, 'workdays', workdays) order by year), '[]'::json) from calendar_years)`
    : sql<null>`null`;
  const { rows } = await sql<{ matter: MatterSnapshot | null; years: CalendarYearRow[] | null }>`
    select (select definition from matters where code = ${code}) as matter, ${years} as years`.execute(db);
  const row = rows[0]!;
  return {
    matter: (row.matter ?? undefined) as MatterSnapshot | undefined,
    calendar: row.years ? await calendarOfRows(db, row.years) : undefined,
  };
}
