import { EmulatorError } from "./state.js";

export type Body = Record<string, unknown>;

export const GROUP_ID_MAX_BYTES = 48;
export const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

export function requireString(body: Body, field: string): string {
  const value = body[field];
  if (typeof value !== "string" || value === "") {
    throw new EmulatorError(10004, `${field} is required and must be a non-empty string`);
  }
  return value;
}

export function optionalString(body: Body, field: string): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "")
    throw new EmulatorError(10004, `${field} must be a non-empty string`);
  return value;
}

/** An optional integer field within [min, max]. */
export function optionalInteger(body: Body, field: string, min: number, max: number): number | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new EmulatorError(10004, `${field} must be an integer from ${min} to ${max}`);
  }
  return value;
}

export function requireInteger(body: Body, field: string, min: number, max: number): number {
  const value = optionalInteger(body, field, min, max);
  if (value === undefined) throw new EmulatorError(10004, `${field} is required`);
  return value;
}

export function isValidGroupId(id: string): boolean {
  return PRINTABLE_ASCII.test(id) && Buffer.byteLength(id) <= GROUP_ID_MAX_BYTES;
}

export function requireGroupId(body: Body): string {
  const id = requireString(body, "GroupId");
  if (!isValidGroupId(id)) throw new EmulatorError(10015, `invalid GroupId ${id}`);
  return id;
}

export function optionalStringList(body: Body, field: string): string[] | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string" && item !== "")) {
    throw new EmulatorError(10004, `${field} must be an array of non-empty strings`);
  }
  return value as string[];
}
