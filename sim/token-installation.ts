import type { SimulatorState } from "./simulator-state.js";

/** The installation an `Authorization: token …` (or `bearer …`) installation token belongs to, if the simulator issued it. */
export function tokenInstallation(
  sim: SimulatorState,
  authorization: string | undefined,
): number | undefined {
  const token = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  return token ? sim.tokens.get(token) : undefined;
}
