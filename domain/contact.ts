/** How clients reach their trainer: what the trainer chose to show (empty = hidden). */
export type TrainerContact = Readonly<{
  name: string;
  phone: string;
  email: string;
}>;

/** The characters a shown phone number may hold: digits, "+", spaces and ( ) . / - */
export const PHONE_PATTERN = /^[+0-9 ()./-]{0,40}$/;

/** `tel:+491701234567` from "+49 170 123 4567". */
export const telHref = (phone: string) => `tel:${phone.replace(/[^+\d]/g, "")}`;

export const showsContact = (c: TrainerContact) =>
  c.phone !== "" || c.email !== "";
