import type { Queryable } from "./client.ts";
import type { TrainerContact } from "../domain/contact.ts";

export async function getTrainerContact(
  sql: Queryable,
  trainerId: string,
): Promise<TrainerContact | undefined> {
  const [row] = await sql<
    { name: string; contact_phone: string; contact_email: string }[]
  >`
    SELECT u.name, t.contact_phone, t.contact_email
    FROM trainers t JOIN users u ON u.id = t.user_id
    WHERE t.user_id = ${trainerId}`;
  return row &&
    { name: row.name, phone: row.contact_phone, email: row.contact_email };
}

export async function setTrainerContact(
  sql: Queryable,
  trainerId: string,
  contact: Readonly<{ phone: string; email: string }>,
): Promise<void> {
  await sql`
    UPDATE trainers SET contact_phone = ${contact.phone},
      contact_email = ${contact.email}
    WHERE user_id = ${trainerId}`;
}
