/**
 * The catalogue key and params of one zod issue of a request (`problem.validation.*`), so a reader gets
 * "au moins 3 caractères" rather than zod's English; the English message stays in `reason` for API clients.
 * A refinement names its own key in `params.code`.
 */
/** The same for an issue of a zod schema the application checks itself (a policy, the mail settings). */
export function zodIssueReason(issue: { code: string; message: string; params?: Record<string, unknown> }): {
  code: string;
  params?: Record<string, string | number>;
} {
  return validationReason(issue.code, issue as unknown as Record<string, unknown>, issue.message);
}

export function validationReason(
  keyword: string,
  detail: Record<string, unknown> | undefined,
  message: string,
): { code: string; params?: Record<string, string | number> } {
  const own = (detail?.params as { code?: unknown } | undefined)?.code;
  if (typeof own === 'string') return { code: own };
  const origin = String(detail?.origin ?? '');
  const count = (value: unknown) => (typeof value === 'number' || typeof value === 'bigint' ? Number(value) : 0);
  switch (keyword) {
    case 'invalid_type':
      return { code: /received undefined/.test(message) ? 'problem.validation.required' : 'problem.validation.type' };
    case 'too_small':
      if (origin === 'string')
        return { code: 'problem.validation.tooShort', params: { count: count(detail?.minimum) } };
      if (origin === 'array' || origin === 'set')
        return { code: 'problem.validation.tooFew', params: { count: count(detail?.minimum) } };
      return { code: 'problem.validation.tooSmall', params: { limit: String(detail?.minimum ?? '') } };
    case 'too_big':
      if (origin === 'string') return { code: 'problem.validation.tooLong', params: { count: count(detail?.maximum) } };
      if (origin === 'array' || origin === 'set')
        return { code: 'problem.validation.tooMany', params: { count: count(detail?.maximum) } };
      return { code: 'problem.validation.tooBig', params: { limit: String(detail?.maximum ?? '') } };
    case 'invalid_format':
      return { code: detail?.format === 'email' ? 'problem.validation.email' : 'problem.validation.format' };
    case 'invalid_value':
      return {
        code: 'problem.validation.value',
        params: { values: Array.isArray(detail?.values) ? detail.values.map(String).join(', ') : '' },
      };
    case 'unrecognized_keys':
      return {
        code: 'problem.validation.unknownKeys',
        params: { keys: Array.isArray(detail?.keys) ? detail.keys.map(String).join(', ') : '' },
      };
    default:
      return { code: 'problem.validation.invalid' };
  }
}
