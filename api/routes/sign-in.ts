import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listDepartments } from '../../db/repositories/catalog';
import { HttpProblem } from '../problem';
import { problems } from './common';

const Role = Type.Union([
  Type.Literal('window'),
  Type.Literal('department'),
  Type.Literal('supervisor'),
  Type.Literal('admin'),
]);

export const SignInOptions = Type.Object({
  devLogin: Type.Boolean(),
  /** The catalog's departments, offered on the dev sign-in page (empty unless devLogin). */
  departments: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
});

export const DevTokenBody = Type.Object(
  {
    role: Role,
    dept: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' })),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    sub: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** How long the token lives; 8 hours (a working day) when not given. */
    expiresInSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 * 3600 })),
  },
  { additionalProperties: false },
);
export const DevToken = Type.Object({ token: Type.String(), expiresAt: Type.String() });

/**
 * How the console signs in. With DEV_LOGIN=1 (never in production; config refuses it) a dev-only
 * endpoint issues tokens for any role, signed with the app's JWT secret and with an `exp`;
 * otherwise the console takes a token from the centre's identity provider.
 */
export const signInRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/public/sign-in-options',
    {
      config: { rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: { tags: ['public'], response: { 200: SignInOptions, ...problems(429) } },
    },
    async () => ({
      devLogin: app.config.devLogin,
      departments: app.config.devLogin
        ? (await listDepartments(app.db)).map((d) => ({ code: d.code, name: d.name }))
        : [],
    }),
  );

  if (!app.config.devLogin) return;
  app.post(
    '/api/dev/token',
    {
      config: { rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: {
        tags: ['dev'],
        description: 'Only with DEV_LOGIN=1 (refused in production): a token for any role, for local use.',
        body: DevTokenBody,
        response: { 200: DevToken, ...problems(400, 422, 429) },
      },
    },
    async (request) => {
      const body = request.body;
      const staffOfDept = body.role === 'window' || body.role === 'department';
      if (staffOfDept && !body.dept)
        throw new HttpProblem(422, 'dept_required', `a ${body.role} token needs a department`);
      // The API takes window and department tokens only for departments in the catalog.
      if (staffOfDept && !(await app.departments.has(body.dept!)))
        throw new HttpProblem(422, 'unknown_department', `department ${body.dept} is not in the catalog`);
      const lifetime = Math.min(body.expiresInSeconds ?? 8 * 3600, app.config.jwtMaxLifetimeSeconds);
      const token = app.jwt.sign(
        {
          sub: body.sub ?? `${body.role}:${body.dept ?? '-'}:${body.name}`,
          name: body.name,
          role: body.role,
          ...(staffOfDept ? { dept: body.dept } : {}),
        },
        { expiresIn: `${lifetime}s` },
      );
      const { exp } = app.jwt.decode<{ exp: number }>(token)!;
      return { token, expiresAt: new Date(exp * 1000).toISOString() };
    },
  );
};
