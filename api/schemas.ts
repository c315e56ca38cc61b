import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** Request and response schemas: the single source of validation, types and /openapi.json. */
const Strict = { additionalProperties: false } as const;
const Code = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' });
const Text = (max = 2000) => Type.String({ minLength: 1, maxLength: max });
const Cents = Type.Integer({ minimum: 0, maximum: 1_000_000_000_00 });
const Days = (max: number) => Type.Integer({ minimum: 1, maximum: max });
const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const IsoDateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

/**
 * Keyset paging of a long list: `cursor` (empty for the first page, then the `nextCursor` of the page
 * before) asks for `{ items, nextCursor }`; without it a list answers its older shape, a bare array.
 */
const PageCursor = Type.String({
  maxLength: 400,
  description:
    'Opaque. Empty for the first page, then the nextCursor of the page before; with it the answer is { items, nextCursor }. A cursor not given by this list is a 400 invalid_cursor.',
});
const PageLimit = (max: number, dflt: number) =>
  Type.Integer({ minimum: 1, maximum: max, description: `rows per page (default ${dflt} with a cursor)` });
/** A list answered as a page (a `cursor` was asked) or, without one, as the bare array it always was. */
export const Paged = <T extends TSchema>(item: T) =>
  Type.Union([Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) }), Type.Array(item)]);

export const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  code: Type.String(),
});

/**
 * Every command accepts an Idempotency-Key (IETF httpapi draft): the same key with the same body
 * replays the original answer; with another body → 422 idempotency_key_reused. Keys belong to the
 * caller (role, department, staff id) and are kept at least 24 h.
 */
export const CommandHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      pattern: '^[\\x21-\\x7E]+$',
      description:
        'Makes the command safe to retry: the same key and body replay the original answer (status and body, with `Idempotent-Replayed: true`); another body → 422 `idempotency_key_reused`. Scoped to the caller; kept at least 24 h.',
    }),
  ),
});

export const MaterialSchema = Type.Object({ code: Code, name: Text(200) }, Strict);
/** A matter's required material, with the newer instruments it allows (容缺受理, 告知承诺制). */
export const RequiredMaterialSchema = Type.Object(
  {
    code: Code,
    name: Text(200),
    deferrable: Type.Optional(
      Type.Boolean({ description: '容缺: may follow after acceptance under a signed promise' }),
    ),
    deferredForm: Type.Optional(Text(200)),
    commitmentAllowed: Type.Optional(
      Type.Boolean({ description: '告知承诺: a written commitment may replace its proof' }),
    ),
  },
  Strict,
);

// ---------------------------------------------------------------- catalog
export const DepartmentBody = Type.Object(
  {
    name: Text(200),
    webhookUrl: Type.Optional(Type.String({ format: 'uri', maxLength: 2000, pattern: '^https?://' })),
  },
  Strict,
);
export const Department = Type.Object({
  code: Type.String(),
  name: Type.String(),
  webhookUrl: Nullable(Type.String()),
});

export const MatterBody = Type.Object(
  {
    name: Text(200),
    leadDept: Code,
    coDepts: Type.Array(Code, { maxItems: 50, uniqueItems: true }),
    requiredMaterials: Type.Array(RequiredMaterialSchema, { maxItems: 200 }),
    timeLimitDays: Days(365),
    statutoryLimitDays: Type.Optional(Days(365)),
    deptReviewDays: Type.Optional(Days(365)),
    warnDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
    silencePolicy: Type.Union([Type.Literal('deemed_approve'), Type.Literal('escalate_only')]),
    fees: Type.Array(Type.Object({ dept: Code, item: Text(200), maxAmountCents: Cents }, Strict), { maxItems: 200 }),
    paymentDays: Type.Optional(Days(365)),
    deferredDays: Type.Optional(Days(365)),
    verifyDept: Type.Optional(Code),
    verifyDays: Type.Optional(Days(365)),
  },
  Strict,
);
export type MatterBody = Static<typeof MatterBody>;
export const Matter = Type.Object({
  code: Type.String(),
  name: Type.String(),
  leadDept: Type.String(),
  coDepts: Type.Array(Type.String()),
  requiredMaterials: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      deferrable: Type.Optional(Type.Boolean()),
      deferredForm: Type.Optional(Type.String()),
      commitmentAllowed: Type.Optional(Type.Boolean()),
    }),
  ),
  timeLimitDays: Type.Integer(),
  statutoryLimitDays: Type.Integer(),
  deptReviewDays: Type.Integer(),
  warnDays: Type.Integer(),
  silencePolicy: Type.String(),
  fees: Type.Array(Type.Object({ dept: Type.String(), item: Type.String(), maxAmountCents: Type.Integer() })),
  paymentDays: Type.Integer(),
  deferredDays: Type.Optional(Type.Integer()),
  verifyDept: Type.Optional(Type.String()),
  verifyDays: Type.Optional(Type.Integer()),
});

export const CalendarYearBody = Type.Object(
  { holidays: Type.Array(IsoDateString, { maxItems: 366 }), workdays: Type.Array(IsoDateString, { maxItems: 366 }) },
  Strict,
);
export const CalendarPublished = Type.Object({
  year: Type.Integer(),
  holidays: Type.Array(Type.String()),
  workdays: Type.Array(Type.String()),
  version: Type.String({ description: "This year's arrangement by content version" }),
  calendar: Type.String({ description: 'The version of the whole calendar now in force' }),
  affectedCases: Type.Integer({
    description: 'Open cases whose deadlines touch this year: each gets a deadlines_recomputed event',
  }),
  republicationId: Nullable(
    Type.Integer({ description: 'Follow the recomputation at GET /api/calendar/republications/{id}' }),
  ),
});
export const CalendarYearView = Type.Object({
  year: Type.Integer(),
  version: Type.String(),
  holidays: Type.Array(Type.String()),
  workdays: Type.Array(Type.String()),
  source: Type.Union([Type.Literal('shipped'), Type.Literal('published')]),
  calendar: Type.String({ description: 'The version of the whole calendar in force' }),
});
// Bounded so an id PostgreSQL cannot hold as a bigint is a 400, not a database error.
export const RepublicationParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });
export const RepublicationView = Type.Object({
  id: Type.Integer(),
  year: Type.Integer(),
  version: Type.String(),
  affectedCases: Type.Integer(),
  signalled: Type.Integer({ description: 'Open cases told of the new calendar' }),
  closed: Type.Integer({ description: 'Cases that had closed before they could be told' }),
  recomputed: Nullable(Type.Integer({ description: 'Cases with a deadlines_recomputed event (when finished)' })),
  adopted: Nullable(Type.Integer({ description: 'Cases that adopted the calendar with no deadline moved' })),
  missed: Nullable(Type.Integer({ description: 'Open cases still on another calendar when finished' })),
  startedAt: Type.String(),
  finishedAt: Nullable(Type.String()),
});
export const DeadlineQuery = Type.Object(
  { from: Type.String({ minLength: 10, maxLength: 40 }), workingDays: Type.Integer({ minimum: 0, maximum: 3650 }) },
  Strict,
);

// ---------------------------------------------------------------- cases
export const SubmitCaseBody = Type.Object(
  {
    matterCode: Code,
    applicant: Type.Object(
      {
        name: Text(200),
        idNumber: Type.Optional(Text(64)),
        phone: Type.Optional(Text(32)),
        creditRestricted: Type.Optional(
          Type.Boolean({ description: 'Restricted by the credit system: no 容缺受理, no 告知承诺' }),
        ),
      },
      Strict,
    ),
    materials: Type.Array(Code, { maxItems: 200 }),
    priority: Type.Optional(Type.Union([Type.Literal('normal'), Type.Literal('green_channel')])),
    idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    deferredMaterials: Type.Optional(
      Type.Array(Code, { maxItems: 200, description: '容缺受理: deferrable materials to follow under `promise`' }),
    ),
    promise: Type.Optional(Type.Object({ text: Text(4000), signedBy: Text(200) }, Strict)),
    commitments: Type.Optional(
      Type.Array(Code, {
        maxItems: 200,
        description: '告知承诺制: materials whose proof a written commitment replaces',
      }),
    ),
  },
  Strict,
);
export type SubmitCaseBody = Static<typeof SubmitCaseBody>;
export const SubmitCaseReply = Type.Object({
  caseNo: Type.String(),
  queryCode: Type.String(),
  status: Type.String(),
  missingMaterials: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  deadline: Type.Optional(Nullable(Type.String())),
});

export const MaterialsBody = Type.Object({ materials: Type.Array(Code, { minItems: 1, maxItems: 200 }) }, Strict);
export const MaterialsReply = Type.Object({
  status: Type.String(),
  missingMaterials: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
});
export const ReasonBody = Type.Object({ reason: Text() }, Strict);
export const OpinionBody = Type.Object(
  {
    verdict: Type.Union([
      Type.Literal('approve'),
      Type.Literal('approve_with_conditions'),
      Type.Literal('reject'),
      Type.Literal('request_supplement'),
    ]),
    comment: Type.Optional(Type.String({ maxLength: 4000 })),
    reason: Type.Optional(Type.String({ maxLength: 4000 })),
    legalBasis: Type.Optional(Type.String({ maxLength: 2000 })),
    conditions: Type.Optional(Type.Array(Text(1000), { maxItems: 50 })),
    materials: Type.Optional(Type.Array(MaterialSchema, { maxItems: 100 })),
    fees: Type.Optional(Type.Array(Type.Object({ item: Text(200), amountCents: Cents }, Strict), { maxItems: 50 })),
  },
  Strict,
);
export type OpinionBody = Static<typeof OpinionBody>;
export const MeetingBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('site_inspection'), Type.Literal('review_meeting')]),
    scheduledAt: Instant,
    departments: Type.Array(Code, { minItems: 1, maxItems: 50 }),
  },
  Strict,
);
export const MinutesBody = Type.Object(
  { findings: Type.Array(Type.Object({ dept: Code, text: Text(4000) }, Strict), { minItems: 1, maxItems: 50 }) },
  Strict,
);
export const SpecialProcedureBody = Type.Object({ kind: Text(100), reason: Text() }, Strict);
export const OutcomeBody = Type.Object({ outcome: Text() }, Strict);
export const DecisionBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
    reason: Type.Optional(Type.String({ maxLength: 4000 })),
    legalBasis: Type.Optional(Type.String({ maxLength: 2000 })),
    overruleReason: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  Strict,
);
export const NegativeReviewBody = Type.Object(
  { outcome: Type.Union([Type.Literal('confirm'), Type.Literal('overturn')]), note: Type.Optional(Text(4000)) },
  Strict,
);
export const PaymentBody = Type.Object(
  { paymentRef: Type.String({ minLength: 1, maxLength: 200 }), amountCents: Cents },
  Strict,
);
export const VerificationBody = Type.Object(
  {
    outcome: Type.Union([Type.Literal('confirmed'), Type.Literal('false_commitment')]),
    note: Type.String({ maxLength: 4000 }),
  },
  Strict,
);
export const RemediationBody = Type.Object(
  {
    action: Text(4000),
    contactedApplicant: Type.Boolean({ description: '回访: the applicant was contacted' }),
    note: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  Strict,
);
export const ReassignBody = Type.Object({ dept: Code }, Strict);
const Level = Type.Integer({ minimum: 1, maximum: 5 });
export const RatingBody = Type.Object(
  {
    level: Type.Integer({ minimum: 1, maximum: 5, description: '5 非常满意 … 1 非常不满意' }),
    dimensions: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z0-9_\\u4e00-\\u9fff-]{1,32}$' }), Level, { maxProperties: 20 }),
    ),
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  Strict,
);
export const RatingReply = Type.Object({
  caseNo: Type.String(),
  level: Type.Integer(),
  at: Type.String(),
  remediation: Nullable(Type.Object({ dept: Type.String(), dueAt: Type.String() })),
});
export const RemediationQuery = Type.Object(
  {
    state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('done'), Type.Literal('all')])),
    dept: Type.Optional(Code),
    cursor: Type.Optional(PageCursor),
    limit: Type.Optional(PageLimit(500, 100)),
  },
  Strict,
);
export const RemediationItem = Type.Object({
  caseNo: Type.String(),
  matterCode: Type.String(),
  dept: Type.String(),
  level: Type.Integer(),
  openedAt: Type.String(),
  dueAt: Type.String(),
  overdue: Type.Boolean(),
  doneAt: Nullable(Type.String()),
  onTime: Nullable(Type.Boolean()),
});
export const UrgeBody = Type.Object({ message: Text() }, Strict);
// Past 15 in all is the domain's 422 extension_limit, so the schema itself stays roomy.
export const ExtensionBody = Type.Object({ workingDays: Days(365), reason: Text() }, Strict);

export const CaseNoParams = Type.Object({ caseNo: Type.String({ minLength: 1, maxLength: 64 }) });
export const MeetingParams = Type.Object({
  caseNo: Type.String({ minLength: 1, maxLength: 64 }),
  meetingId: Type.String({ minLength: 1, maxLength: 32 }),
});
export const ProcedureParams = Type.Object({
  caseNo: Type.String({ minLength: 1, maxLength: 64 }),
  procedureId: Type.String({ minLength: 1, maxLength: 32 }),
});
export const CodeParams = Type.Object({ code: Code });
export const YearParams = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });

const Alert = Type.Union([Type.Literal('none'), Type.Literal('yellow'), Type.Literal('red')]);
const Fee = Type.Object({ dept: Type.String(), item: Type.String(), amountCents: Type.Integer() });
export const CaseView = Type.Object({
  caseNo: Type.String(),
  matterCode: Type.String(),
  matterName: Type.String(),
  status: Type.String(),
  priority: Type.String(),
  applicant: Type.Object({ name: Type.String() }),
  leadDept: Type.String(),
  submittedAt: Nullable(Type.String()),
  acceptedAt: Nullable(Type.String()),
  deadline: Nullable(Type.String()),
  statutoryDeadline: Nullable(Type.String()),
  deadlineProvisional: Type.Boolean({
    description:
      'An open deadline counts days of a year whose calendar is not yet published (weekends only until then)',
  }),
  alert: Alert,
  missingMaterials: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  clock: Type.Object({
    timeLimitDays: Type.Integer(),
    statutoryLimitDays: Type.Integer(),
    usedWorkingDays: Type.Integer(),
    remainingWorkingDays: Nullable(Type.Integer()),
    suspended: Type.Boolean(),
    suspensions: Type.Array(
      Type.Object({
        kind: Type.String(),
        from: Nullable(Type.String()),
        to: Nullable(Type.String()),
        workingDays: Nullable(Type.Integer()),
      }),
    ),
    extensionDays: Type.Integer(),
    calendar: Type.String(),
  }),
  departments: Type.Array(
    Type.Object({
      dept: Type.String(),
      role: Type.String(),
      round: Type.Integer(),
      status: Type.String(),
      verdict: Nullable(Type.String()),
      comment: Nullable(Type.String()),
      conditions: Type.Array(Type.String()),
      fees: Type.Array(Type.Object({ item: Type.String(), amountCents: Type.Integer() })),
      assignedAt: Nullable(Type.String()),
      dueAt: Nullable(Type.String()),
      dueAtProvisional: Type.Boolean(),
      givenAt: Nullable(Type.String()),
      alert: Alert,
    }),
  ),
  supplement: Nullable(
    Type.Object({
      requests: Type.Array(
        Type.Object({
          dept: Type.String(),
          materials: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
        }),
      ),
      noticeIssuedAt: Nullable(Type.String()),
      received: Type.Array(Type.String()),
    }),
  ),
  meetings: Type.Array(
    Type.Object({
      meetingId: Type.String(),
      kind: Type.String(),
      scheduledAt: Type.String(),
      departments: Type.Array(Type.String()),
      findings: Nullable(Type.Array(Type.Object({ dept: Type.String(), text: Type.String() }))),
    }),
  ),
  specialProcedures: Type.Array(
    Type.Object({
      procedureId: Type.String(),
      kind: Type.String(),
      reason: Type.String(),
      startedAt: Nullable(Type.String()),
      endedAt: Nullable(Type.String()),
      outcome: Nullable(Type.String()),
    }),
  ),
  decision: Nullable(
    Type.Object({
      decision: Type.String(),
      reason: Nullable(Type.String()),
      legalBasis: Nullable(Type.String()),
      overruleReason: Nullable(Type.String()),
      overruled: Type.Array(Type.String()),
      conditions: Type.Array(Type.String()),
      decidedBy: Type.String(),
      decidedAt: Nullable(Type.String()),
    }),
  ),
  negativeReview: Nullable(
    Type.Object({
      dueAt: Nullable(Type.String()),
      overdue: Type.Boolean(),
      outcome: Nullable(Type.String()),
      note: Nullable(Type.String()),
      reviewedAt: Nullable(Type.String()),
    }),
  ),
  fees: Type.Object({
    items: Type.Array(Fee),
    totalCents: Type.Integer(),
    paymentRef: Nullable(Type.String()),
    paidAt: Nullable(Type.String()),
    dueAt: Nullable(Type.String()),
    split: Type.Array(Type.Object({ dept: Type.String(), amountCents: Type.Integer() })),
  }),
  result: Nullable(Type.Object({ number: Type.String(), issuedAt: Nullable(Type.String()) })),
  completedAt: Nullable(Type.String()),
  lateWorkingDays: Nullable(Type.Integer()),
  statutoryLateWorkingDays: Nullable(Type.Integer()),
  lastProgressAt: Nullable(Type.String()),
  deferredMaterials: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      form: Type.String(),
      dueAt: Nullable(Type.String()),
      suppliedAt: Nullable(Type.String()),
    }),
  ),
  promise: Nullable(Type.Object({ text: Type.String(), signedBy: Type.String() })),
  commitments: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), committedAt: Type.String() })),
  verification: Nullable(
    Type.Object({
      dept: Type.String(),
      dueAt: Type.String(),
      overdue: Type.Boolean(),
      outcome: Nullable(Type.String()),
      note: Nullable(Type.String()),
      at: Nullable(Type.String()),
    }),
  ),
  termination: Nullable(Type.Object({ reason: Type.String(), code: Nullable(Type.String()), at: Type.String() })),
  rating: Nullable(Type.Object({ level: Type.Integer(), at: Type.String() })),
  remediation: Nullable(
    Type.Object({
      dept: Type.String(),
      dueAt: Type.String(),
      overdue: Type.Boolean(),
      doneAt: Nullable(Type.String()),
      onTime: Nullable(Type.Boolean()),
      action: Nullable(Type.String()),
      contactedApplicant: Nullable(Type.Boolean()),
    }),
  ),
});

export const CaseStatusSchema = Type.Union(
  (
    [
      'awaiting_materials',
      'in_review',
      'suspended',
      'deciding',
      'negative_review',
      'awaiting_payment',
      'completed',
      'rejected',
      'refused',
      'withdrawn',
      'terminated',
      'revoked',
    ] as const
  ).map((s) => Type.Literal(s)),
);
export const CaseListQuery = Type.Object(
  {
    status: Type.Optional(CaseStatusSchema),
    dept: Type.Optional(Code),
    matterCode: Type.Optional(Code),
    /** A case number (or its beginning) or part of the applicant's name. */
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  Strict,
);
export const CaseList = Type.Object({ items: Type.Array(CaseView), nextCursor: Nullable(Type.String()) });

export const CaseEventView = Type.Object({
  seq: Type.Integer(),
  type: Type.String(),
  /** When the event was applied. */
  at: Type.String(),
  receivedAt: Type.Optional(
    Type.String({ description: "A command's event: when the API received the act — its legal time." }),
  ),
  effectiveAt: Type.Optional(
    Type.String({
      description: 'A timer-driven event: the instant its rule took effect (the due time), which may precede `at`.',
    }),
  ),
  actor: Type.Object({
    sub: Type.String(),
    role: Type.String(),
    dept: Nullable(Type.String()),
    /** The acting person's name (the token's `name`); null for the system and for older events. */
    name: Nullable(Type.String()),
  }),
  data: Type.Unknown(),
});

export const TaskQuery = Type.Object(
  {
    state: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('done'), Type.Literal('all')])),
    dept: Type.Optional(Code),
    cursor: Type.Optional(PageCursor),
    limit: Type.Optional(PageLimit(1000, 100)),
  },
  Strict,
);
export const TaskView = Type.Object({
  caseNo: Type.String(),
  matterCode: Type.String(),
  dept: Type.String(),
  round: Type.Integer(),
  status: Type.String(),
  assignedAt: Type.String(),
  dueAt: Type.String(),
  alert: Alert,
  role: Type.String(),
  matterName: Type.String(),
  applicantName: Type.String(),
  caseStatus: Type.String(),
  /** Working days left until dueAt while the task is pending (0 once due); null when answered. */
  remainingWorkingDays: Nullable(Type.Integer()),
  dueProvisional: Type.Boolean({
    description: 'The pending task’s due time counts days of a year whose calendar is not yet published',
  }),
  verdict: Nullable(Type.String()),
  givenAt: Nullable(Type.String()),
});

export const InboxQuery = Type.Object(
  {
    dept: Type.Optional(Code),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    cursor: Type.Optional(PageCursor),
  },
  Strict,
);
export const InboxItem = Type.Object({
  key: Type.String(),
  dept: Type.String(),
  caseNo: Type.String(),
  kind: Type.String(),
  payload: Type.Unknown(),
  createdAt: Type.String(),
  deliveredAt: Nullable(Type.String()),
});

export const SupervisionQuery = Type.Object(
  {
    filter: Type.Optional(Type.Union([Type.Literal('overdue'), Type.Literal('at_risk'), Type.Literal('stuck')])),
    stalledHours: Type.Optional(Type.Number({ minimum: 0, maximum: 24 * 365 })),
    dept: Type.Optional(Code),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    cursor: Type.Optional(PageCursor),
  },
  Strict,
);
export const SupervisedCase = Type.Object({
  caseNo: Type.String(),
  matterCode: Type.String(),
  status: Type.String(),
  deadline: Nullable(Type.String()),
  deadlineProvisional: Type.Boolean({
    description: 'The case deadline counts days of a year whose calendar is not yet published',
  }),
  remainingWorkingDays: Nullable(Type.Integer()),
  alert: Alert,
  lastProgressAt: Type.String(),
  blockingDepts: Type.Array(
    Type.Object({ dept: Type.String(), since: Type.String(), dueAt: Nullable(Type.String()), overdue: Type.Boolean() }),
  ),
});
/** A period of whole Shanghai days, both ends included; by default the current month so far. */
export const StatsQuery = Type.Object({ from: Type.Optional(IsoDateString), to: Type.Optional(IsoDateString) }, Strict);
export const DeptStats = Type.Object({
  dept: Type.String(),
  received: Type.Integer(),
  given: Type.Integer(),
  onTime: Type.Integer(),
  late: Type.Integer(),
  lateWorkingDays: Type.Integer(),
  deemed: Type.Integer(),
  urged: Type.Integer(),
  medianDays: Nullable(Type.Number()),
  p90Days: Nullable(Type.Number()),
  score: Type.Number({
    description:
      'assessment score (效能考核): base minus points per late working day, deemed opinion, bad review and late remediation, as configured (ASSESSMENT_*)',
  }),
  ...RatingFields('this department is responsible for (the lead, or whom a supervisor reassigned the remediation to)'),
});

/** 好差评 figures of the cases rated in the period (GB/T 39734-2020). */
function RatingFields(whose: string) {
  return {
    ratings: Type.Integer({ description: `ratings of the cases ${whose}, rated in the period` }),
    satisfactionRate: Nullable(
      Type.Number({ description: 'share of 5 (非常满意) and 4 (满意) among all ratings; null with no rating' }),
    ),
    badReviews: Type.Integer({ description: 'ratings of 2 or 1 (差评); each opened a remediation (整改)' }),
    remediatedOnTime: Type.Integer({ description: 'bad reviews whose remediation was recorded by its due time' }),
  };
}

export const MatterStats = Type.Object({
  matterCode: Type.String(),
  matterName: Type.String(),
  ...RatingFields('of this matter'),
});

export const PublicQuery = Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }) }, Strict);
export const PublicCaseView = Type.Object({
  caseNo: Type.String(),
  matterName: Type.String(),
  status: Type.String(),
  submittedAt: Nullable(Type.String()),
  acceptedAt: Nullable(Type.String()),
  deadline: Nullable(Type.String()),
  missingMaterials: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  supplementRequested: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  departments: Type.Array(
    Type.Object({
      dept: Type.String(),
      name: Nullable(Type.String({ description: 'the department’s name in the catalog' })),
      answered: Type.Boolean(),
    }),
  ),
  payment: Nullable(Type.Object({ totalCents: Type.Integer(), dueAt: Nullable(Type.String()) })),
  result: Nullable(Type.Object({ number: Type.String(), issuedAt: Nullable(Type.String()) })),
  decision: Nullable(Type.String()),
  completedAt: Nullable(Type.String()),
  deferredMaterials: Type.Optional(
    Type.Array(
      Type.Object({
        name: Type.String(),
        form: Type.String(),
        dueAt: Nullable(Type.String()),
        supplied: Type.Boolean(),
      }),
    ),
  ),
  termination: Type.Optional(Nullable(Type.Object({ reason: Type.String(), code: Nullable(Type.String()) }))),
  rating: Type.Optional(
    Nullable(
      Type.Object({ level: Type.Integer(), at: Type.String() }, { description: '好差评: the applicant’s rating' }),
    ),
  ),
});

// ---------------------------------------------------------------- live updates
const TopicText = Type.String({
  pattern: '^(case:[A-Za-z0-9-]{1,64}|inbox:[A-Za-z0-9_.-]{1,64}|supervision)$',
  description: '`case:<caseNo>` (a case page), `inbox:<dept>` (a department’s tasks and inbox), `supervision`',
});
export const StreamTicketBody = Type.Object(
  { topics: Type.Array(TopicText, { minItems: 1, maxItems: 20, uniqueItems: true }) },
  Strict,
);
export const StreamTicket = Type.Object({
  ticket: Type.String({ description: 'one-time; open the stream with it within a minute' }),
  expiresAt: Type.String(),
  streamUntil: Type.String({ description: 'the stream ends then (when the bearer token expires, at most an hour)' }),
  topics: Type.Array(Type.String()),
  url: Type.String({ description: 'where to open the stream (EventSource)' }),
});
export const StreamQuery = Type.Object(
  {
    ticket: Type.Optional(
      Type.String({ minLength: 20, maxLength: 100, description: 'from POST /api/stream/tickets (for EventSource)' }),
    ),
    topics: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2000,
        description: 'comma-separated topics, with a bearer token; with a ticket, the ticket’s topics',
      }),
    ),
  },
  Strict,
);

// ---------------------------------------------------------------- saved views (named filters per person)
export const CaseListFilters = Type.Object(
  { status: Type.Optional(CaseStatusSchema), dept: Type.Optional(Code), matterCode: Type.Optional(Code) },
  Strict,
);
export const SupervisionFilters = Type.Object(
  {
    filter: Type.Optional(Type.Union([Type.Literal('overdue'), Type.Literal('at_risk'), Type.Literal('stuck')])),
    stalledHours: Type.Optional(Type.Number({ minimum: 0, maximum: 24 * 365 })),
    dept: Type.Optional(Code),
  },
  Strict,
);
const ViewName = Type.String({ minLength: 1, maxLength: 100 });
export const SavedViewBody = Type.Union([
  Type.Object({ screen: Type.Literal('cases'), name: ViewName, filters: CaseListFilters }, Strict),
  Type.Object({ screen: Type.Literal('supervision'), name: ViewName, filters: SupervisionFilters }, Strict),
]);
export type SavedViewBody = Static<typeof SavedViewBody>;
export const SavedView = Type.Object({
  id: Type.String(),
  screen: Type.Union([Type.Literal('cases'), Type.Literal('supervision')]),
  name: Type.String(),
  filters: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export const SavedViewQuery = Type.Object(
  { screen: Type.Optional(Type.Union([Type.Literal('cases'), Type.Literal('supervision')])) },
  Strict,
);
export const ViewParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

// ---------------------------------------------------------------- supervision: dashboard counts, trend, deliveries
export const SummaryQuery = Type.Object(
  { stalledHours: Type.Optional(Type.Number({ minimum: 0, maximum: 24 * 365 })) },
  Strict,
);
const Counts = {
  open: Type.Integer({ description: 'open cases (for a department: the cases it holds up)' }),
  overdue: Type.Integer(),
  atRisk: Type.Integer(),
  stuck: Type.Integer(),
};
export const SupervisionSummary = Type.Object({
  ...Counts,
  stalledHours: Type.Number(),
  departments: Type.Array(
    Type.Object({
      dept: Type.String(),
      name: Nullable(Type.String()),
      ...Counts,
      oldestSince: Nullable(Type.String()),
    }),
  ),
});
export const TrendQuery = Type.Object(
  { from: Type.Optional(IsoDateString), to: Type.Optional(IsoDateString), dept: Type.Optional(Code) },
  Strict,
);
export const WeeklyFigures = Type.Object({
  weekStart: Type.String({ description: 'the Monday the week starts (Shanghai date)' }),
  dept: Type.String(),
  received: Type.Integer(),
  given: Type.Integer(),
  onTime: Type.Integer(),
  late: Type.Integer(),
  lateWorkingDays: Type.Integer(),
  deemed: Type.Integer(),
  urged: Type.Integer(),
  onTimeRate: Nullable(Type.Number({ description: 'on time / given' })),
  score: Type.Number(),
});
export const DepartmentDelivery = Type.Object({
  dept: Type.String(),
  name: Type.String(),
  webhookUrl: Nullable(Type.String()),
  failing: Type.Boolean({ description: 'the last delivery attempt failed' }),
  failingSince: Nullable(Type.String()),
  consecutiveFailures: Type.Integer(),
  lastAttemptAt: Nullable(Type.String()),
  lastSuccessAt: Nullable(Type.String()),
  lastFailureAt: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
  undelivered: Type.Integer({ description: 'notices not yet delivered since the webhook was last set' }),
});
