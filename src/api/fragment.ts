// The shape of one feature's part of the OpenAPI document (merged in src/api/openapi.ts).
type Json = Record<string, unknown>;

export interface OpenApiFragment {
  paths: Record<string, Json>;
  schemas?: Record<string, unknown>;
  parameters?: Record<string, unknown>;
  responses?: Record<string, unknown>;
}
