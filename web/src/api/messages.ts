/**
 * What the console says for each problem+json `code` the API answers with (api.md "Errors").
 * tests/unit/console-messages.test.ts fails when the API gains a code this map lacks.
 */
export const PROBLEM_MESSAGES: Readonly<Record<string, string>> = {
  // sign-in and access
  unauthorized: '未登录或登录凭证无效，请重新登录。',
  token_expired: '登录已过期，请重新登录。',
  forbidden_role: '当前角色无权进行此操作。',
  not_own_department: '只能查看或办理本部门的事项。',
  not_reviewing_department: '本部门不是该办件的审查部门。',
  not_lead_department: '只有牵头部门可以进行此操作。',
  dept_required: '窗口和部门人员须选择所属部门。',
  invalid_claims: '登录凭证内容有误（身份、角色或部门不符合要求），请重新登录。',
  token_without_exp: '登录凭证缺少有效期，请向认证平台重新获取。',
  token_lifetime_too_long: '登录凭证有效期过长，不予接受，请向认证平台重新获取。',
  invalid_issuer: '登录凭证不是由本中心信任的认证平台签发的。',
  invalid_audience: '登录凭证不适用于本系统。',
  rate_limited: '操作过于频繁，请稍后再试。',
  // acceptance
  unknown_matter: '该事项不在本中心受理范围内。',
  matter_not_found: '未找到该事项。',
  unknown_material: '材料不属于该事项的申请材料清单。',
  duplicate_material: '材料编号重复。',
  not_awaiting_materials: '办件已受理或已结束，不能再登记申请材料。',
  case_already_accepted: '办件已受理，不能再进行此操作。',
  deferral_not_allowed: '该材料不允许容缺受理，或申请人信用受限。',
  // review
  case_not_found: '未找到该办件，请核对办件编号。',
  case_not_in_review: '办件当前不在审查阶段，不能提出意见。',
  opinion_already_given: '本部门本轮已提出意见，不能重复提交。',
  opinion_deemed: '审查期限已过，本部门意见已按“视为同意”处理，不能再提交意见。',
  deadline_passed_unavailable: '意见在期限内已收到，但案件已按“视为同意”作出决定，无法再采用；已报告督查。',
  conditions_required: '“附条件同意”须至少填写一项条件。',
  reason_required: '请填写理由。',
  materials_required: '要求补正时须列明需补正的材料。',
  fee_above_standard: '收费超出公示标准，请按收费项目的最高限额填写。',
  unknown_fee_item: '收费项目不在本部门公示的收费目录中。',
  duplicate_fee_item: '同一收费项目只能收取一次。',
  fee_dept_not_reviewing: '收费部门不是该办件的审查部门。',
  not_awaiting_supplement: '该办件当前没有待补正的材料。',
  meeting_not_found: '未找到该会议。',
  minutes_already_recorded: '该会议的纪要已经登记。',
  procedure_not_found: '未找到该特别程序。',
  procedure_already_ended: '该特别程序已经结束。',
  case_not_suspended: '办件当前未中止计时。',
  // decision and after
  opinions_pending: '仍有部门未提出意见，暂不能作出决定。',
  case_not_deciding: '办件当前不在汇总决定阶段。',
  rejecting_opinion_stands: '有部门的不予许可意见仍然有效：如需批准，须填写否决理由并承担相应责任。',
  case_already_decided: '办件已作出决定，不能再进行此操作。',
  not_in_negative_review: '办件当前不在否定报备审查中。',
  note_required: '推翻不予许可决定须填写说明。',
  deferred_materials_outstanding: '仍有容缺材料未补齐，暂不能批准。',
  promise_required: '容缺受理须有申请人签署的承诺书（承诺内容与签署人）。',
  deferred_materials_not_supplied: '容缺材料逾期未补齐，办件已终止。',
  commitment_not_allowed: '该材料不适用告知承诺制，或申请人受信用限制。',
  not_verifying_department: '只有核查部门可以核查该办件的承诺。',
  no_verification_pending: '该办件没有待核查的告知承诺。',
  already_verified: '该办件的承诺已经核查。',
  not_awaiting_payment: '办件当前不在待缴费状态。',
  amount_mismatch: '缴费金额与缴费通知书的金额不一致。',
  case_closed: '办件已办结或已终止，不能再进行此操作。',
  clock_not_started: '办件尚未受理，计时尚未开始。',
  invalid_extension: '延期的工作日数须为正整数。',
  extension_limit: '延期累计不得超过 15 个工作日（《行政许可法》第四十二条）。',
  case_not_ended: '办件尚未结束，暂不能评价。',
  already_rated: '该办件已评价过。',
  invalid_rating: '评价须为 1 至 5 的整数。',
  no_open_remediation: '该办件没有待整改的差评。',
  not_responsible_department: '只有责任部门可以登记整改。',
  action_required: '请填写整改措施。',
  // catalog, calendar, statistics
  unknown_department: '部门不在部门目录中。',
  invalid_calendar: '工作日历数据有误。',
  republication_not_found: '未找到该次日历重算记录。',
  invalid_date: '日期格式有误。',
  invalid_period: '统计期间有误：开始日期须不晚于结束日期。',
  invalid_cursor: '分页参数已失效，请刷新列表。',
  // live updates and saved views
  stream_ticket_invalid: '实时连接凭证已失效，正在重新连接。',
  invalid_topic: '实时更新的订阅内容有误。',
  view_name_taken: '已有同名的视图，请换一个名称。',
  view_not_found: '未找到该视图，可能已被删除。',
  too_many_views: '每个页面最多保存 50 个视图，请先删除不用的视图。',
  // the request itself
  validation_failed: '填写的内容不符合要求，请检查后重试。',
  invalid_text: '填写的内容含有无法保存的字符。',
  malformed_json: '请求格式有误。',
  bad_request: '请求有误。',
  payload_too_large: '提交的内容过大。',
  unsupported_media_type: '请求格式不受支持。',
  invalid_content_length: '请求格式有误。',
  invalid_url: '地址有误。',
  route_not_found: '请求的功能不存在。',
  idempotency_key_reused: '该操作已用不同的内容提交过，请刷新后重试。',
  invalid_idempotency_key: '请求的幂等键格式不正确。',
  service_unavailable: '系统暂时无法处理，请稍后重试（已受理的操作不会丢失）。',
  console_not_built: '工作台尚未构建。',
  internal_error: '系统出现意外错误，请稍后重试或联系管理员。',
};

/** The console's sentence for a problem: by code, else by HTTP status, never a stack. */
export function problemMessage(code: string | undefined, status: number): string {
  if (code && PROBLEM_MESSAGES[code]) return PROBLEM_MESSAGES[code];
  if (status === 401) return PROBLEM_MESSAGES.unauthorized!;
  if (status === 403) return '无权进行此操作。';
  if (status === 404) return '未找到请求的内容。';
  if (status === 409) return '办件当前状态不允许此操作，请刷新后查看。';
  if (status === 422) return '填写的内容不符合规则，请检查后重试。';
  if (status === 429) return PROBLEM_MESSAGES.rate_limited!;
  if (status >= 500) return PROBLEM_MESSAGES.internal_error!;
  return '操作未成功，请重试。';
}
