import { dictionary } from "@zxcvbn-ts/language-common";

/** New passwords need this many characters (the contract's 8 is the floor; we ask more). */
export const PASSWORD_MIN_LENGTH = 10;

/** The one-line rule shown beside every new-password field. */
export const PASSWORD_HINT =
  "At least 10 characters; not your e-mail, not a common password.";

// zxcvbn-ts's list of the ~49,000 most used passwords (lower case), from leaked sets.
let common: ReadonlySet<string> | undefined;

export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary["passwords-common"]);
  return common.has(password.toLowerCase());
}

/** Why a new password is too weak on its own, or undefined. Old passwords are never judged. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  }
  if (new Set(password).size === 1) {
    return "must not be one character repeated";
  }
  if (isCommonPassword(password)) {
    return "is one of the most common passwords; pick one that is not";
  }
  return undefined;
}

/**
 * Why a new password is too close to the account's e-mail, or undefined: with the e-mail
 * (and its name part, when that has 4 characters or more) taken out, fewer than 10
 * characters would be left, e.g. `ana.lopez@x.test` with `ana.lopez@x.test` or `Ana.Lopez123`.
 */
export function passwordEmailProblem(
  password: string,
  email: string,
): string | undefined {
  const address = email.trim().toLowerCase();
  const name = address.split("@")[0];
  let rest = password.toLowerCase();
  if (address) rest = rest.replaceAll(address, "");
  if (name.length >= 4) rest = rest.replaceAll(name, "");
  return rest.length < PASSWORD_MIN_LENGTH
    ? "must not be your e-mail address or made from it"
    : undefined;
}
