import { deadlineAfter } from './calendar';
import type { CaseCommand } from './commands';
import type { Draft } from './draft';
import { refusal } from './errors';
import type { CaseEventBody } from './events';
import { MATTER_DEFAULTS, type CaseState, type Material, type MatterSnapshot } from './types';

/**
 * The newer instruments of acceptance (domain.md, "Newer instruments"):
 * 容缺受理 — deferrable materials may follow within `deferredDays` working days under the applicant's
 * signed promise; 告知承诺制 — a written commitment replaces the proof of a material the matter allows,
 * checked by the verifying department within `verifyDays` working days after approval.
 */

export const DEFAULT_DEFERRED_FORM = '原件（或加盖公章的复印件）';
export const DEFERRAL_CONSEQUENCE =
  '逾期未补齐容缺材料的，终止办理 (not supplied by the due time: the case is terminated, deferred_materials_not_supplied)';

export const verifyDeptOf = (m: MatterSnapshot) => m.verifyDept ?? m.leadDept;
const verifyDaysOf = (m: MatterSnapshot) => m.verifyDays ?? MATTER_DEFAULTS.verifyDays;
const deferredDaysOf = (m: MatterSnapshot) => m.deferredDays ?? MATTER_DEFAULTS.deferredDays;

type Submit = Extract<CaseCommand, { type: 'submit' }>;
type Submitted = Extract<CaseEventBody, { type: 'submitted' }>['data'];

/** What a submission asks of the instruments, checked: refused with 422 before anything is recorded. */
export function submissionInstruments(c: Submit): Pick<Submitted, 'deferred' | 'commitments'> {
  const handed = new Set(c.materials);
  const byCode = new Map(c.matter.requiredMaterials.map((m) => [m.code, m]));
  const deferredCodes = [...new Set(c.deferredMaterials ?? [])].filter((code) => !handed.has(code));
  const commitmentCodes = [...new Set(c.commitments ?? [])].filter((code) => !handed.has(code));
  const restricted = c.applicant.creditRestricted === true;
  const out: Pick<Submitted, 'deferred' | 'commitments'> = {};
  if (deferredCodes.length) {
    if (restricted)
      throw refusal('deferral_not_allowed', 'the credit system restricts this applicant: no acceptance with deferrals');
    const refused = deferredCodes.filter((code) => !byCode.get(code)?.deferrable);
    if (refused.length)
      throw refusal('deferral_not_allowed', `materials this matter does not allow to defer: ${refused.join(', ')}`);
    if (!c.promise?.text.trim() || !c.promise.signedBy.trim())
      throw refusal(
        'promise_required',
        'deferred materials need the applicant’s signed promise (promise.text, signedBy)',
      );
    if (deferredCodes.some((code) => commitmentCodes.includes(code)))
      throw refusal('deferral_not_allowed', 'a material is either deferred or replaced by a commitment, not both');
    out.deferred = {
      materials: deferredCodes.map((code) => {
        const m = byCode.get(code)!;
        return { code, name: m.name, form: m.deferredForm ?? DEFAULT_DEFERRED_FORM };
      }),
      promise: { text: c.promise.text, signedBy: c.promise.signedBy },
    };
  }
  if (commitmentCodes.length) {
    if (restricted)
      throw refusal(
        'commitment_not_allowed',
        'the credit system restricts this applicant: no commitments in place of proofs',
      );
    const refused = commitmentCodes.filter((code) => !byCode.get(code)?.commitmentAllowed);
    if (refused.length)
      throw refusal(
        'commitment_not_allowed',
        `materials whose proof this matter does not let a commitment replace: ${refused.join(', ')}`,
      );
    out.commitments = commitmentCodes.map((code) => ({ code, name: byCode.get(code)!.name }));
  }
  return out;
}

/** The materials that count as in: handed in, deferred under the promise, or replaced by a commitment. */
export function materialsIn(s: CaseState): Set<string> {
  return new Set([
    ...s.materials,
    ...(s.deferred ?? []).map((m) => m.code),
    ...(s.commitments ?? []).map((m) => m.code),
  ]);
}

export const outstandingDeferred = (s: CaseState) => (s.deferred ?? []).filter((m) => m.suppliedAt === undefined);

/** On acceptance: the one notice of what is deferred, in what form, by when, and what if it does not come. */
export function noticeDeferrals(d: Draft): void {
  const outstanding = outstandingDeferred(d.current);
  if (!outstanding.length || !d.current.promise) return;
  const dueAt = deadlineAfter(d.ctx.time, d.ctx.now, deferredDaysOf(d.current.matter));
  d.emit({
    type: 'deferral_accepted',
    data: {
      materials: outstanding.map((m) => ({ code: m.code, name: m.name, form: m.form, dueAt })),
      promise: d.current.promise,
      consequence: DEFERRAL_CONSEQUENCE,
    },
  });
}

/** Deferred materials registered after acceptance (POST /materials like any other). */
export function supplyDeferred(d: Draft, codes: string[]): void {
  const outstanding = outstandingDeferred(d.current).map((m) => m.code);
  const unknown = codes.filter((code) => !outstanding.includes(code));
  if (unknown.length)
    throw refusal('unknown_material', `not deferred materials still outstanding: ${unknown.join(', ')}`);
  const supplied = [...new Set(codes)];
  d.emit({
    type: 'deferred_materials_supplied',
    data: { materials: supplied, outstanding: outstanding.filter((code) => !supplied.includes(code)) },
  });
}

export function requireNoDeferralOutstanding(s: CaseState): void {
  const outstanding = outstandingDeferred(s);
  if (outstanding.length)
    throw refusal(
      'deferred_materials_outstanding',
      `deferred materials not yet supplied: ${outstanding.map((m) => m.code).join(', ')}`,
    );
}

/** At the due time with a deferred material still missing: the case ends (the applicant is told). */
export function terminateForDeferral(d: Draft): void {
  const missing = outstandingDeferred(d.current).map((m) => m.name);
  d.emit({
    type: 'terminated',
    data: { reason: `容缺材料逾期未补齐: ${missing.join('、')}`, code: 'deferred_materials_not_supplied' },
  });
}

/** After approval the verifying department must check the commitments within verifyDays working days. */
export function assignVerification(d: Draft): void {
  const s = d.current;
  const commitments: Material[] = (s.commitments ?? []).map(({ code, name }) => ({ code, name }));
  if (!commitments.length || s.verification) return;
  d.emit({
    type: 'verification_assigned',
    data: {
      dept: verifyDeptOf(s.matter),
      dueAt: deadlineAfter(d.ctx.time, d.ctx.now, verifyDaysOf(s.matter)),
      commitments,
    },
  });
}

export function verifyCommitments(d: Draft, c: Extract<CaseCommand, { type: 'verify_commitments' }>): void {
  const s = d.current;
  const { role, dept } = d.ctx.actor;
  const verifying = s.verification?.dept ?? verifyDeptOf(s.matter);
  if (role !== 'department' || dept !== verifying)
    throw refusal('not_verifying_department', `only ${verifying} verifies the commitments of this case`);
  if (!s.verification) throw refusal('no_verification_pending', 'no commitments wait for verification on this case');
  if (s.verification.outcome)
    throw refusal('already_verified', `the commitments were already verified: ${s.verification.outcome}`);
  if (c.outcome === 'false_commitment' && !c.note.trim())
    throw refusal('note_required', 'a false commitment needs a note of what was found');
  d.emit({
    type: 'commitments_verified',
    data: { outcome: c.outcome, note: c.note, late: d.ctx.now > s.verification.dueAt },
  });
  if (c.outcome === 'confirmed') return;
  d.emit({
    type: 'approval_revoked',
    data: {
      reason: `告知承诺不实，撤销许可: ${c.note}`,
      creditRecord: {
        applicantName: s.applicant.name,
        ...(s.applicant.idNumber ? { idNumber: s.applicant.idNumber } : {}),
        materials: (s.commitments ?? []).map(({ code, name }) => ({ code, name })),
        note: c.note,
      },
    },
  });
}

/** A case with a check still to do stays open after its result. */
export function verificationPending(s: CaseState): boolean {
  return s.verification !== undefined && s.verification.outcome === undefined && s.status !== 'withdrawn';
}
