import { SIM_OAUTH_CLIENT } from "../../sim/oauth-state.js";
import type { AuthDeps } from "../../src/auth/auth-deps.js";
import { sealedTokens } from "../../src/auth/github-user-token.js";
import type { SimulatorFixture } from "../sim/use-simulator.js";

/**
 * A person signed in on the simulator's GitHub: their user token got through its web flow (authorize, then the code
 * grant) and stored as sign-in stores it. Returns the User row's id.
 */
export async function signInPerson(
  fixture: SimulatorFixture,
  deps: AuthDeps,
  person: { login: string; githubId: number },
): Promise<string> {
  fixture.sim.signInAs(person.login);
  const authorize = await fetch(
    `${fixture.address.url}/login/oauth/authorize?client_id=${SIM_OAUTH_CLIENT.clientId}`,
    { redirect: "manual" },
  );
  const code = new URL(authorize.headers.get("location") ?? "").searchParams.get("code") ?? "";
  const response = await fetch(`${fixture.address.url}/login/oauth/access_token`, {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify({
      client_id: SIM_OAUTH_CLIENT.clientId,
      client_secret: SIM_OAUTH_CLIENT.clientSecret,
      code,
    }),
  });
  const token = ((await response.json()) as { access_token: string }).access_token;
  const user = await deps.db.user.create({
    data: {
      githubId: BigInt(person.githubId),
      login: person.login,
      ...sealedTokens(deps, { token, expiresAt: null, refreshToken: null, refreshTokenExpiresAt: null }),
    },
  });
  return user.id;
}
