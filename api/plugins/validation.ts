import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { HttpProblem } from '../problem';

/**
 * Text PostgreSQL cannot store: NUL (not allowed in `text`, nor as \u0000 in `jsonb`) and lone
 * UTF-16 surrogates (jsonb refuses their escapes). Accepted, such a string would make a query fail
 * (a 500) or, inside a case event, make recording the event fail again and again.
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The first unstorable string among the keys and values of a parsed input, as its path. */
export function unstorableText(value: unknown, path = '', depth = 0): string | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path || '(value)' : undefined;
  if (value === null || typeof value !== 'object' || depth > 64) return undefined;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const at = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
    if (UNSTORABLE.test(key)) return at;
    const found = unstorableText(item, at, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Bodies are validated strictly: wrong types and unknown fields are 400s, never silently coerced
 * or stripped. Query strings and path parameters arrive as text, so they are coerced.
 * Before any of that, input text PostgreSQL cannot store is refused (400 `invalid_text`).
 */
export function installValidators(app: FastifyInstance): void {
  const base: Options = { allErrors: false, removeAdditional: false, useDefaults: true, strict: false };
  const strictAjv = addFormats(new Ajv({ ...base, coerceTypes: false }));
  const coercingAjv = addFormats(new Ajv({ ...base, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }: { schema: FastifySchema; httpPart?: string }) =>
    (httpPart === 'body' ? strictAjv : coercingAjv).compile(schema as object),
  );
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [
      ['path', request.params],
      ['query', request.query],
      ['body', request.body],
    ] as const) {
      const at = unstorableText(value);
      if (at)
        throw new HttpProblem(
          400,
          'invalid_text',
          `${part} ${at.replace(/^\./, '')} holds a NUL character or a lone surrogate`,
        );
    }
  });
}
