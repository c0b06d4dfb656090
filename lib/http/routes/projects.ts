import { CreateProjectSchema, ProjectListQuerySchema } from '../../schemas/projects.ts';
import { API, route } from './route.ts';

export const projectsCreate = /* @__PURE__ */ route({
  name: 'projects.create',
  method: 'POST',
  path: '/api/projects',
  entry: 'functions/projects-create.ts',
  auth: 'bearer',
  scope: 'projects:write',
  idempotent: true,
  jsonBody: true,
  body: CreateProjectSchema,
  responses: {
    201: {
      description: 'Project created',
      schema: 'Project',
      links: {
        GetProject: { operationId: 'projectsGet', parameters: { projectId: '$response.body#/id' } },
        CreateScanRun: { operationId: 'scanRunsCreate', parameters: { projectId: '$response.body#/id' } },
      },
    },
  },
  summary: 'Create a project',
  grants: API,
});

export const projectsList = /* @__PURE__ */ route({
  name: 'projects.list',
  method: 'GET',
  path: '/api/projects',
  entry: 'functions/projects-list.ts',
  auth: 'bearer',
  scope: 'projects:read',
  idempotent: false,
  jsonBody: false,
  query: ProjectListQuerySchema,
  responses: { 200: { description: "The account's projects, newest first", schema: 'ProjectList' } },
  summary: "List the account's projects (cursor-paginated, newest first)",
  grants: API,
});

export const projectsGet = /* @__PURE__ */ route({
  name: 'projects.get',
  method: 'GET',
  path: '/api/projects/{projectId}',
  entry: 'functions/projects-get.ts',
  auth: 'bearer',
  scope: 'projects:read',
  idempotent: false,
  jsonBody: false,
  responses: { 200: { description: 'The project', schema: 'Project' } },
  summary: 'Read a project',
  grants: API,
});

/** Projects: route table entries (lib/http/routes.ts lists every area). */
export const PROJECT_ROUTES = {
  create: projectsCreate,
  list: projectsList,
  get: projectsGet,
} as const;
