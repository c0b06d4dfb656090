import { FindingListQuerySchema, TriageFindingSchema } from '../../schemas/findings.ts';
import { API, route } from './route.ts';

export const findingsList = /* @__PURE__ */ route({
  name: 'findings.list',
  method: 'GET',
  path: '/api/projects/{projectId}/findings',
  entry: 'functions/findings-list.ts',
  auth: 'bearer',
  scope: 'projects:read',
  idempotent: false,
  jsonBody: false,
  query: FindingListQuerySchema,
  responses: { 200: { description: "The project's findings, in fingerprint order", schema: 'FindingList' } },
  summary:
    "List a project's findings across its scan runs (cursor-paginated; filter by state, severity, category, triage)",
  grants: API,
});

export const findingsDismiss = /* @__PURE__ */ route({
  name: 'findings.dismiss',
  method: 'PUT',
  path: '/api/projects/{projectId}/findings/{fingerprint}/triage',
  entry: 'functions/findings-dismiss.ts',
  auth: 'bearer',
  scope: 'projects:write',
  idempotent: false,
  jsonBody: true,
  body: TriageFindingSchema,
  responses: { 200: { description: 'The finding, dismissed', schema: 'Finding' } },
  summary: 'Dismiss a finding with a reason (idempotent; kept across later scan runs)',
  grants: API,
});

export const findingsUndismiss = /* @__PURE__ */ route({
  name: 'findings.undismiss',
  method: 'DELETE',
  path: '/api/projects/{projectId}/findings/{fingerprint}/triage',
  entry: 'functions/findings-undismiss.ts',
  auth: 'bearer',
  scope: 'projects:write',
  idempotent: false,
  jsonBody: false,
  responses: { 200: { description: 'The finding, no longer dismissed', schema: 'Finding' } },
  summary: "Take a finding's dismissal back (idempotent)",
  grants: API,
});

/** A project's findings: route table entries (lib/http/routes.ts lists every area). */
export const FINDING_ROUTES = {
  list: findingsList,
  dismiss: findingsDismiss,
  undismiss: findingsUndismiss,
} as const;
