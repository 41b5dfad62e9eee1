import { tenantContext } from "../../core/context";
import { itemRoute, onRow } from "../../core/resource/item-routes";
import { resourceRoutes } from "../../core/resource/routes";
import { emptyResponse, jsonResponse, route } from "../../core/route";
import { employeeResource } from "./employees.resource";
import {
  enrollFaceBody,
  erasedResponse,
  faceEmbeddingListResponse,
  faceEmbeddingResponse,
  faceParams,
  MAX_FACES_PER_EMPLOYEE,
} from "./faces.schemas";
import { enrollFace, eraseFaces, listFaces } from "./faces.service";

/** Employees on the resource kit, plus their face descriptors (enrol, list without vectors, erase). */
export const employeeRoutes = resourceRoutes(employeeResource, {
  docs: {
    create:
      "`work_locations`: up to 20 circles (name, lat, lng, radius_m) — check-ins measure the distance to the nearest. `user_id` links the employee's user account (self check-in and own records).",
  },
})
  .openapi(
    route({
      ...onRow("attendance"),
      method: "post",
      path: "/{id}/face-embeddings",
      summary: "Enrol a face descriptor",
      description: `Stores a descriptor computed on the device (never an image) of length \`face_embedding_dimension\` (a tenant setting), scaled to unit length, with the consent time and who enrolled it; \`consent: true\` is required. At most ${MAX_FACES_PER_EMPLOYEE} per employee (409). Audited without the vector. One round trip.`,
      permission: "attendance:write",
      body: enrollFaceBody,
      responses: { 201: jsonResponse(faceEmbeddingResponse, "The enrolled descriptor (without the vector)") },
      errors: { 404: "Employee not found", 409: `Already ${MAX_FACES_PER_EMPLOYEE} descriptors (CONFLICT)` },
    }),
    async (c) =>
      c.json({ data: await enrollFace(tenantContext(c), c.req.valid("param").id, c.req.valid("json")) }, 201),
  )
  .openapi(
    ...itemRoute(
      {
        ...onRow("attendance"),
        path: "/{id}/face-embeddings",
        summary: "List an employee's face descriptors",
        description: "Their metadata only: the vectors are never returned. One round trip.",
        permission: "attendance:write",
        responses: { 200: jsonResponse(faceEmbeddingListResponse, "The descriptors, oldest first") },
      },
      listFaces,
    ),
  )
  .openapi(
    route({
      ...onRow("attendance"),
      method: "delete",
      path: "/{id}/face-embeddings",
      summary: "Erase all of an employee's face descriptors",
      description:
        "Deletes every descriptor of the employee for good; one audit row lists what was erased (never the vectors).",
      permission: "attendance:write",
      responses: { 200: jsonResponse(erasedResponse, "How many were erased") },
    }),
    async (c) =>
      c.json({ data: { deleted: await eraseFaces(tenantContext(c), c.req.valid("param").id, null) } }, 200),
  )
  .openapi(
    route({
      method: "delete",
      path: "/{id}/face-embeddings/{embedding_id}",
      summary: "Erase one face descriptor",
      description: "Deletes the descriptor for good. Audited.",
      tags: ["attendance"],
      permission: "attendance:write",
      params: faceParams,
      responses: { 204: emptyResponse("Erased") },
      errors: { 404: "Employee or face embedding not found" },
    }),
    async (c) => {
      const { id, embedding_id } = c.req.valid("param");
      await eraseFaces(tenantContext(c), id, embedding_id);
      return c.body(null, 204);
    },
  );
