/** An expected failure with the contract's error shape. Thrown, mapped in one `onError`. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503,
    readonly code: string,
    message: string,
    readonly fields?: Readonly<Record<string, string>>,
    readonly headers?: Readonly<Record<string, string>>,
    /** The domain refusal it words (routes/outcomes.ts), for the caller's language. */
    readonly reason?: string,
  ) {
    super(message);
  }

  /** The same error with `message` in other words (the caller's language). */
  saying(message: string): ApiError {
    return new ApiError(
      this.status,
      this.code,
      message,
      this.fields,
      this.headers,
      this.reason,
    );
  }

  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.fields && { fields: this.fields }),
      },
    };
  }
}

export const unauthorized = () =>
  new ApiError(401, "unauthorized", "Sign in first.");
export const forbidden = () =>
  new ApiError(403, "forbidden", "You are not allowed to do that.");
export const notFound = (what = "That") =>
  new ApiError(404, "not_found", `${what} was not found.`);
export const invalidFields = (fields: Record<string, string>) =>
  new ApiError(422, "validation_failed", "Some fields are not valid.", fields);

/**
 * The database was out of reach (a restart, a failover). A change may or may not have
 * been made, so the answer never says it failed: it says where to look, and that a retry
 * with the same Idempotency-Key (or the same form) answers what really happened.
 */
export const unavailable = (change: boolean, api: boolean) =>
  new ApiError(
    503,
    "unavailable",
    !change
      ? "The database is briefly unavailable. Please try again in a few seconds."
      : "We could not confirm this change: the database is briefly unavailable. " +
        "Check My appointments before trying again" +
        (api
          ? "; the same request with the same Idempotency-Key is always safe to send again."
          : "."),
    undefined,
    { "Retry-After": "2" },
    // The catalogue's `error.<reason>` words a page's (the API's names its key too).
    change ? (api ? undefined : "db_change") : "db_read",
  );
