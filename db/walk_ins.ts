/** Walk-in clients: added by their trainer, without a sign-in until they claim the account. */
import { type Queryable, type Sql, sqlState, UUID } from "./client.ts";
import {
  type ClaimRefusal,
  decideClaim,
  type Invitation,
} from "../domain/walk_ins.ts";

export type { Invitation };

/** No scrypt hash: nothing signs in as an unclaimed client. */
const NO_PASSWORD = "!";

const instant = (d: Date) =>
  Temporal.Instant.fromEpochMilliseconds(d.getTime());

/** Adds a walk-in client to the trainer's clients; their e-mail, if any, is unconfirmed. */
export async function createWalkIn(
  sql: Queryable,
  input: Readonly<{
    trainerId: string;
    name: string;
    email: string | null;
    phone: string;
    now: Temporal.Instant;
  }>,
): Promise<{ ok: true; id: string } | { ok: false; reason: "email_taken" }> {
  try {
    const [row] = await sql<{ id: string }[]>`
      WITH u AS (
        INSERT INTO users (role, name, email, password_hash, created_at)
        VALUES ('client', ${input.name}, ${input.email}, ${NO_PASSWORD},
          ${input.now.toString()})
        RETURNING id
      )
      INSERT INTO clients (user_id, trainer_id, phone, unclaimed)
      SELECT id, ${input.trainerId}, ${input.phone}, true FROM u
      RETURNING user_id AS id`;
    return { ok: true, id: row.id };
  } catch (error) {
    if (sqlState(error) === "23505") {
      return { ok: false, reason: "email_taken" };
    }
    throw error;
  }
}

/**
 * A new invitation for one of the trainer's unclaimed clients, replacing any earlier one
 * (whose link stops working).
 */
export async function inviteWalkIn(
  sql: Queryable,
  input: Readonly<{
    trainerId: string;
    clientId: string;
    tokenHash: Uint8Array;
    now: Temporal.Instant;
    expiresAt: Temporal.Instant;
  }>,
): Promise<"invited" | "not_found" | "already_claimed"> {
  if (!UUID.test(input.clientId)) return "not_found";
  const [client] = await sql<{ unclaimed: boolean }[]>`
    SELECT unclaimed FROM clients
    WHERE user_id = ${input.clientId} AND trainer_id = ${input.trainerId}`;
  if (!client) return "not_found";
  if (!client.unclaimed) return "already_claimed";
  await sql`
    INSERT INTO client_invitations (client_id, token_hash, created_at, expires_at)
    VALUES (${input.clientId}, ${input.tokenHash}, ${input.now.toString()},
      ${input.expiresAt.toString()})
    ON CONFLICT (client_id) DO UPDATE SET token_hash = EXCLUDED.token_hash,
      created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at, used_at = NULL`;
  return "invited";
}

type InvitationRow = {
  client_id: string;
  name: string;
  email: string | null;
  trainer_name: string;
  expires_at: Date;
  used_at: Date | null;
  unclaimed: boolean;
};

const selectInvitation = (
  sql: Queryable,
  tokenHash: Uint8Array,
  lock: boolean,
) =>
  sql<InvitationRow[]>`
    SELECT i.client_id, u.name, u.email, t.name AS trainer_name, i.expires_at, i.used_at,
      c.unclaimed
    FROM client_invitations i
    JOIN clients c ON c.user_id = i.client_id
    JOIN users u ON u.id = i.client_id
    JOIN users t ON t.id = c.trainer_id
    WHERE i.token_hash = ${tokenHash}
    ${lock ? sql`FOR UPDATE OF i, c` : sql``}`;

const stateOf = (r: InvitationRow | undefined) =>
  r && {
    expiresAt: instant(r.expires_at),
    usedAt: r.used_at && instant(r.used_at),
    unclaimed: r.unclaimed,
  };

const invitationOf = (r: InvitationRow): Invitation => ({
  clientId: r.client_id,
  name: r.name,
  email: r.email,
  trainerName: r.trainer_name,
});

/** The invitation a link names, if it may still claim its account now. */
export async function findInvitation(
  sql: Queryable,
  tokenHash: Uint8Array,
  now: Temporal.Instant,
): Promise<
  { ok: true; invitation: Invitation } | { ok: false; reason: ClaimRefusal }
> {
  const [row] = await selectInvitation(sql, tokenHash, false);
  const decided = decideClaim(stateOf(row), now);
  return decided.ok ? { ok: true, invitation: invitationOf(row) } : decided;
}

/**
 * Claims a walk-in account in one transaction: sets its password and, if given, its
 * e-mail, marks the invitation used and the client claimed. A second claim with the same
 * link is refused (`invitation_used`); an e-mail someone else has, `email_taken`.
 */
export async function claimWalkIn(
  sql: Sql,
  input: Readonly<{
    tokenHash: Uint8Array;
    email: string | null;
    passwordHash: string;
    now: Temporal.Instant;
  }>,
): Promise<
  | { ok: true; clientId: string; email: string }
  | { ok: false; reason: ClaimRefusal | "email_taken" | "email_needed" }
> {
  try {
    return await sql.begin(async (tx) => {
      const [row] = await selectInvitation(tx, input.tokenHash, true);
      const decided = decideClaim(stateOf(row), input.now);
      if (!decided.ok) return decided;
      const email = input.email ?? row.email;
      if (email === null) return { ok: false, reason: "email_needed" } as const;
      await tx`
        UPDATE users SET email = ${email}, password_hash = ${input.passwordHash},
          email_verified_at = NULL
        WHERE id = ${row.client_id}`;
      await tx`UPDATE clients SET unclaimed = false WHERE user_id = ${row.client_id}`;
      await tx`
        UPDATE client_invitations SET used_at = ${input.now.toString()}
        WHERE client_id = ${row.client_id}`;
      return {
        ok: true,
        clientId: row.client_id,
        email,
      } as const;
    });
  } catch (error) {
    if (sqlState(error) === "23505") {
      return { ok: false, reason: "email_taken" };
    }
    throw error;
  }
}
