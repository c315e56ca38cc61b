import type { Actor } from './types';

/**
 * Who reads an applicant's ID number and phone in full (issue 15): the window, which took the
 * application and deals with the applicant, and the case's lead department, which decides and
 * contacts the applicant. Co-handling departments, supervisors and administrators see them masked.
 */
export function readsPersonalData(reader: Actor, leadDept: string): boolean {
  return reader.role === 'window' || (reader.role === 'department' && reader.dept === leadDept);
}

/** Keeps the first and last four characters of an ID number (3301**********1234), 3 + 4 of a phone. */
export function maskIdNumber(id: string): string {
  if (id.length <= 8) return '*'.repeat(id.length);
  return id.slice(0, 4) + '*'.repeat(id.length - 8) + id.slice(-4);
}
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return '*'.repeat(phone.length);
  return phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4);
}

export interface Applicant {
  name: string;
  idNumber?: string;
  phone?: string;
}

/** The applicant as this reader may see them. */
export function applicantFor(applicant: Applicant, reader: Actor, leadDept: string): Applicant {
  if (readsPersonalData(reader, leadDept)) return applicant;
  return {
    ...applicant,
    ...(applicant.idNumber === undefined ? {} : { idNumber: maskIdNumber(applicant.idNumber) }),
    ...(applicant.phone === undefined ? {} : { phone: maskPhone(applicant.phone) }),
  };
}

/**
 * An event's data as this reader may see it: the applicant's personal data masked unless the
 * reader needs it, and never the query code's hash (old `submitted` events carry one).
 */
export function eventDataFor(type: string, data: unknown, reader: Actor, leadDept: string): unknown {
  if (type !== 'submitted' || !data || typeof data !== 'object') return data;
  const { queryCodeHash: _hidden, applicant, ...rest } = data as { queryCodeHash?: string; applicant?: Applicant };
  return { ...rest, ...(applicant ? { applicant: applicantFor(applicant, reader, leadDept) } : {}) };
}
