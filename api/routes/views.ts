import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import {
  countSavedViews,
  createSavedView,
  deleteSavedView,
  getSavedView,
  listSavedViews,
  MAX_VIEWS_PER_SCREEN,
  nameTaken,
  replaceSavedView,
  type SavedViewRow,
  type Screen,
} from '../../db/repositories/saved-views';
import { toShanghaiIso } from '../../domain/calendar';
import { refusal } from '../../domain/errors';
import { forbiddenRole, HttpProblem } from '../problem';
import { SavedView, SavedViewBody, SavedViewQuery, ViewParams } from '../schemas';
import { STAFF_ERRORS, staff } from './common';

const toView = (r: SavedViewRow) => ({
  id: r.id,
  screen: r.screen as Screen,
  name: r.name,
  filters: r.filters,
  createdAt: toShanghaiIso(r.created_at.getTime()),
  updatedAt: toShanghaiIso(r.updated_at.getTime()),
});

const viewNotFound = () => new HttpProblem(404, 'view_not_found', 'you have no saved view with this id');

/** The dashboard is the supervisors'; so are views of it. */
function assertMayUseScreen(request: FastifyRequest, screen: Screen): void {
  if (screen === 'supervision' && request.actor.role !== 'supervisor')
    throw forbiddenRole('views of the supervision dashboard need the role supervisor');
}

/** Saved filters (named views) on the case list and the supervision dashboard, kept per person (token `sub`). */
export const viewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const opts = staff(app, [], ['views']);
  const owner = (request: FastifyRequest) => request.actor.sub;

  app.get(
    '/api/views',
    {
      ...opts,
      schema: {
        ...opts.schema,
        summary: 'My saved views',
        querystring: SavedViewQuery,
        response: { 200: Type.Array(SavedView), ...STAFF_ERRORS },
      },
    },
    async (request) => (await listSavedViews(app.db, owner(request), request.query.screen)).map(toView),
  );

  app.post(
    '/api/views',
    {
      ...opts,
      schema: {
        ...opts.schema,
        summary: 'Save a view',
        body: SavedViewBody,
        response: { 201: SavedView, ...STAFF_ERRORS },
      },
    },
    async (request, reply) => {
      const body = request.body;
      assertMayUseScreen(request, body.screen);
      if ((await countSavedViews(app.db, owner(request), body.screen)) >= MAX_VIEWS_PER_SCREEN)
        throw refusal('too_many_views', `at most ${MAX_VIEWS_PER_SCREEN} saved views per screen`);
      const row = await createSavedView(app.db, owner(request), body);
      if (!row) throw refusal('view_name_taken', `you already have a view named "${body.name}" on this screen`);
      return reply.status(201).send(toView(row));
    },
  );

  app.put(
    '/api/views/:id',
    {
      ...opts,
      schema: {
        ...opts.schema,
        summary: 'Rename a saved view or change its filters',
        params: ViewParams,
        body: SavedViewBody,
        response: { 200: SavedView, ...STAFF_ERRORS },
      },
    },
    async (request) => {
      const { id } = request.params;
      const body = request.body;
      if (!(await getSavedView(app.db, owner(request), id))) throw viewNotFound();
      assertMayUseScreen(request, body.screen);
      if (await nameTaken(app.db, owner(request), body.screen, body.name, id))
        throw refusal('view_name_taken', `you already have a view named "${body.name}" on this screen`);
      const row = await replaceSavedView(app.db, owner(request), id, body);
      if (!row) throw viewNotFound();
      return toView(row);
    },
  );

  app.delete(
    '/api/views/:id',
    {
      ...opts,
      schema: {
        ...opts.schema,
        summary: 'Delete a saved view',
        params: ViewParams,
        response: { 204: Type.Null({ description: 'deleted' }), ...STAFF_ERRORS },
      },
    },
    async (request, reply) => {
      if (!(await deleteSavedView(app.db, owner(request), request.params.id))) throw viewNotFound();
      return reply.status(204).send(null);
    },
  );
};
