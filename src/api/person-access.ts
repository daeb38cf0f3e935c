import { type AccessGate, createAccessGate } from "../auth/create-access-gate.js";
import type { Principal } from "../auth/principal.js";
import type { ApiDeps } from "./api-deps.js";

/** The access gate of a request's principal (see createAccessGate): what every route asks before it answers. */
export function gateFor(deps: ApiDeps, principal: Principal): AccessGate {
  return createAccessGate({ db: deps.service.db, userAccess: deps.userAccess }, principal);
}
