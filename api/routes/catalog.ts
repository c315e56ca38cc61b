import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  getMatter,
  listDepartments,
  listMatters,
  putDepartment,
  putMatterWithDepartments,
} from '../../db/repositories/catalog';
import { departmentDeliveries } from '../../db/repositories/dashboard';
import { toShanghaiIso } from '../../domain/calendar';
import { assertValidMatter, withMatterDefaults } from '../../domain/matter';
import { HttpProblem } from '../problem';
import { CodeParams, Department, DepartmentBody, DepartmentDelivery, Matter, MatterBody } from '../schemas';
import { STAFF_ERRORS, staff } from './common';

export const catalogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = staff(app, ['admin'], ['catalog']);
  const anyStaff = staff(app, [], ['catalog']);

  app.put(
    '/api/departments/:code',
    {
      ...admin,
      schema: {
        ...admin.schema,
        params: CodeParams,
        body: DepartmentBody,
        response: { 200: Department, ...STAFF_ERRORS },
      },
    },
    async (request) => {
      const { code } = request.params;
      const department = await putDepartment(app.db, code, request.body);
      app.departments.learn(code);
      return department;
    },
  );

  app.get(
    '/api/departments',
    { ...anyStaff, schema: { ...anyStaff.schema, response: { 200: Type.Array(Department), ...STAFF_ERRORS } } },
    async () => listDepartments(app.db),
  );

  app.get(
    '/api/departments/deliveries',
    {
      ...admin,
      schema: {
        ...admin.schema,
        summary: 'Each department with whether its webhook deliveries are failing, since when and why',
        response: { 200: Type.Array(DepartmentDelivery), ...STAFF_ERRORS },
      },
    },
    async () => {
      const at = (d: Date | null) => (d ? toShanghaiIso(new Date(d).getTime()) : null);
      return (await departmentDeliveries(app.db)).map((d) => ({
        dept: d.dept,
        name: d.name,
        webhookUrl: d.webhookUrl,
        failing: d.failingSince !== null,
        failingSince: at(d.failingSince),
        consecutiveFailures: d.consecutiveFailures,
        lastAttemptAt: at(d.lastAttemptAt),
        lastSuccessAt: at(d.lastSuccessAt),
        lastFailureAt: at(d.lastFailureAt),
        lastError: d.lastError,
        undelivered: d.undelivered,
      }));
    },
  );

  app.put(
    '/api/matters/:code',
    {
      ...admin,
      schema: { ...admin.schema, params: CodeParams, body: MatterBody, response: { 200: Matter, ...STAFF_ERRORS } },
    },
    async (request) => {
      const matter = withMatterDefaults(request.params.code, request.body);
      // Everything is checked before anything is written: a refused matter changes nothing.
      assertValidMatter(matter);
      for (const added of await putMatterWithDepartments(app.db, matter)) app.departments.learn(added);
      return matter;
    },
  );

  app.get(
    '/api/matters',
    { ...anyStaff, schema: { ...anyStaff.schema, response: { 200: Type.Array(Matter), ...STAFF_ERRORS } } },
    async () => listMatters(app.db),
  );

  app.get(
    '/api/matters/:code',
    { ...anyStaff, schema: { ...anyStaff.schema, params: CodeParams, response: { 200: Matter, ...STAFF_ERRORS } } },
    async (request) => {
      const matter = await getMatter(app.db, request.params.code);
      if (!matter) throw new HttpProblem(404, 'matter_not_found', 'no such matter');
      return matter;
    },
  );
};
