import type { CaseEvent } from '../api/client';

export interface Material {
  code: string;
  name: string;
}
export interface FeeStandard {
  dept: string;
  item: string;
  maxAmountCents: number;
}
export interface Application {
  matterName: string;
  leadDept: string;
  coDepts: string[];
  requiredMaterials: Material[];
  /** The published fee items of the matter as the case snapshotted it (later catalog edits do not apply). */
  fees: FeeStandard[];
  applicant: { name: string; idNumber?: string; phone?: string };
  priority: string;
  /** Codes of the materials handed in so far (application, later registrations, supplements). */
  received: Set<string>;
}

type Data = Record<string, unknown>;
const obj = (v: unknown): Data => (v && typeof v === 'object' ? (v as Data) : {});
const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/** The application as submitted and completed since, read from the case's own events. */
export function applicationOf(events: readonly CaseEvent[]): Application | undefined {
  const submitted = events.find((e) => e.type === 'submitted');
  if (!submitted) return undefined;
  const d = obj(submitted.data);
  const matter = obj(d.matter);
  const received = new Set<string>(arr<string>(d.materials));
  for (const e of events)
    if (e.type === 'materials_supplemented' || e.type === 'supplement_registered')
      for (const code of arr<string>(obj(e.data).materials)) received.add(code);
  const applicant = obj(d.applicant);
  return {
    matterName: String(matter.name ?? ''),
    leadDept: String(matter.leadDept ?? ''),
    coDepts: arr<string>(matter.coDepts),
    requiredMaterials: arr<Material>(matter.requiredMaterials),
    fees: arr<FeeStandard>(matter.fees),
    applicant: {
      name: String(applicant.name ?? ''),
      ...(typeof applicant.idNumber === 'string' ? { idNumber: applicant.idNumber } : {}),
      ...(typeof applicant.phone === 'string' ? { phone: applicant.phone } : {}),
    },
    priority: String(d.priority ?? 'normal'),
    received,
  };
}
